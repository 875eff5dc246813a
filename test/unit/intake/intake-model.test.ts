import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { deserialiseExamples } from '../../../src/intake/model/examples-file.js';
import { extractFeatures } from '../../../src/intake/model/features.js';
import { deserialiseModel, loadShippedModel, serialiseModel } from '../../../src/intake/model/intake-model.js';
import { decodeSortedInts, encodeSortedInts } from '../../../src/intake/model/model-codec.js';
import { predictProba, trainSoftmax } from '../../../src/intake/model/softmax-regression.js';
import { crossValidate, trainModel } from '../../../src/intake/model/training.js';
import { parseMessage } from '../../../src/intake/parse-message.js';
import { segmentMessage } from '../../../src/intake/segment.js';

const catalogue = loadDefaultCatalogue();
const toy = [
  { x: [1, 10], y: 0, w: 1 }, { x: [1, 11], y: 0, w: 1 }, { x: [2, 10], y: 1, w: 1 }, { x: [2, 12], y: 1, w: 1 }, { x: [3, 11], y: 2, w: 1 }, { x: [3, 12], y: 2, w: 1 },
];

describe('softmax regression', () => {
  it('learns a separable problem and gives the same weights for the same seed', () => {
    const a = trainSoftmax(toy, ['a', 'b', 'c'], { minCount: 1, seed: 5 });
    const b = trainSoftmax(toy, ['a', 'b', 'c'], { minCount: 1, seed: 5 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    for (const e of toy) {
      const p = predictProba(a, e.x);
      expect(p.indexOf(Math.max(...p))).toBe(e.y);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    }
  });

  it('ignores features it never saw', () => {
    const m = trainSoftmax(toy, ['a', 'b', 'c'], { minCount: 1 });
    expect(Array.from(predictProba(m, [1, 999_999]))).toEqual(Array.from(predictProba(m, [1, 999_998])));
  });
});

describe('model files', () => {
  it('round-trips sorted integers', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 300 }), (xs) => {
      const sorted = [...new Set(xs)].sort((a, b) => a - b);
      expect(decodeSortedInts(encodeSortedInts(sorted))).toEqual(sorted);
    }));
  });

  it('reads back what it writes and refuses another format', () => {
    const model = trainModel([
      { group: 1, label: 'chatter', weight: 1, x: [1, 2], source: 'message' }, { group: 2, label: 'parks', weight: 1, x: [1, 3], source: 'message' },
    ], ['chatter', 'unclear', 'parks'], { version: 't1', train: { minCount: 1 } });
    const back = deserialiseModel(serialiseModel(model));
    expect(back.version).toBe('t1');
    const p = predictProba(back.softmax, [1, 3]);
    const q = predictProba(model.softmax, [1, 3]);
    p.forEach((v, i) => expect(v).toBeCloseTo(q[i]!, 3));
    expect(() => deserialiseModel('{"format":"something-else"}')).toThrow(/train it again/);
  });

  it('ships a versioned model and examples without text that retrain to the same decisions', () => {
    const shipped = loadShippedModel();
    expect(shipped.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const file = readFileSync(new URL('../../../src/intake/model/intake-examples.json', import.meta.url), 'utf8');
    // The feature buckets are base64, where any four letters turn up by chance: look at the rest.
    expect(file.replace(/"[A-Za-z0-9+/=]{8,}"/g, '""')).not.toMatch(/fly-?tipping|Road|bins/i);
    const { classes, examples } = deserialiseExamples(file);
    expect(classes).toEqual(shipped.softmax.classes);
    const again = trainModel(examples, classes, { thresholds: shipped.thresholds });
    const msg = { text: 'fly-tipping again on Slade Road, Erdington' };
    const ctx = { sender: { role: 'councillor', wards: ['erdington'] }, channelName: 'escalations', catalogue };
    const x = extractFeatures(msg, ctx);
    const a = predictProba(again.softmax, x);
    const b = predictProba(shipped.softmax, x);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 2));
    const cv = crossValidate(examples.slice(0, 300), classes, 3, 1);
    expect(cv.folds).toHaveLength(3);
    expect(cv.accuracy).toBeGreaterThan(0);
  }, 60_000);
});

describe('segmenting a message into problems', () => {
  it('splits lines, list items, sentences and "… and the …" clauses', () => {
    expect(segmentMessage("potholes on Wood End Road and the bins weren't collected on Orphanage Road, Erdington").map((s) => s.text))
      .toEqual(['potholes on Wood End Road', "the bins weren't collected on Orphanage Road, Erdington"]);
    expect(segmentMessage('Quarry Lane:\n1) cars on the bend\n2) bins not collected').map((s) => s.text)).toEqual(['Quarry Lane:', 'cars on the bend', 'bins not collected']);
    // Lines, bullets and numbered points are marked as points of their own; clauses of a sentence are not.
    expect(segmentMessage('Quarry Lane:\n1) cars on the bend\n2) bins not collected').map((s) => s.item ?? false)).toEqual([false, true, true]);
    expect(segmentMessage('Two things • bins missed • a pothole; and the lights').map((s) => s.item ?? false)).toEqual([false, true, true, false]);
    expect(segmentMessage("potholes on Wood End Road and the bins weren't collected").map((s) => s.item ?? false)).toEqual([false, false]);
    expect(segmentMessage('Street light out. Also a sofa dumped on the corner').map((s) => s.text)).toEqual(['Street light out.', 'Also a sofa dumped on the corner']);
  });

  it('never throws, keeps parts inside the message and in order (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), (t) => {
      const parts = segmentMessage(t);
      let last = -1;
      for (const p of parts) {
        expect(t.slice(p.start, p.start + p.text.length)).toBe(p.text);
        expect(p.start).toBeGreaterThan(last);
        last = p.start;
      }
      return parts.length <= 40;
    }), { numRuns: 300 });
  });
});

describe('parseMessage with the model', () => {
  const parse = (text: string, wards = ['erdington'], channelName = 'escalations') => parseMessage({ text, platform: 'slack' }, { sender: { role: 'councillor', wards }, channelName, catalogue });

  it('reads a barking dog on Chinn Brook Road without throwing', () => {
    const r = parse('There is a dog barking day and night at a house on Chinn Brook Road, residents are at the end of their tether', ['billesley']);
    expect(['escalation', 'clarify']).toContain(r.kind);
  });

  it('understands missed bins, and opens two cases for two problems', () => {
    expect(parse("the bins weren't collected on Orphanage Road, Erdington").cases.map((c) => [c.ward, c.service])).toEqual([['erdington', 'refuse-collection']]);
    const two = parse("potholes on Wood End Road and the bins weren't collected on Orphanage Road, Erdington");
    expect(two.cases.map((c) => c.service).sort()).toEqual(['highways-maintenance', 'refuse-collection']);
    for (const c of two.cases) expect(c.confidence).toBeGreaterThan(0);
  });

  it('asks which service for a vague problem, offering the likeliest services', () => {
    const r = parse('can someone look at the problem near the shops');
    expect(r).toMatchObject({ kind: 'clarify', missing: ['service'] });
    expect(r.candidates.services.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps an unreadable message as a question rather than losing it', () => {
    const r = parseMessage({ text: 'bins missed on Slade Road' }, { sender: { wards: ['erdington'] }, catalogue, model: { softmax: null } as never });
    expect(r).toMatchObject({ kind: 'clarify', unreadable: true, draft: { summary: 'bins missed on Slade Road' } });
  });

  it('never throws on several-problem text, and every case has a catalogue ward, service and a probability (property)', () => {
    const bits = fc.constantFrom('potholes on Wood End Road', 'the bins were not collected', 'fly-tipping in the alley', 'thanks all', 'and the', ' also ', '\n• ', '1) ', '; ', ' + ', 'Erdington', 'Kings Heath', '???', '<p>', '&amp;');
    const text = fc.array(fc.oneof(bits, fc.string({ maxLength: 30 })), { maxLength: 60 }).map((a) => a.join(' '));
    const wards = new Set(catalogue.wards.map((w) => w.id as string));
    const services = new Set(catalogue.services.map((s) => s.id as string));
    fc.assert(fc.property(text, fc.array(fc.constantFrom('erdington', 'kingstanding', 'nowhere'), { maxLength: 3 }), (t, ws) => {
      const r = parse(t, ws);
      expect(r.unreadable).toBeUndefined();
      if (r.kind === 'clarify') expect(r.missing.length).toBeGreaterThan(0);
      return r.cases.every((c) => wards.has(c.ward) && services.has(c.service) && c.confidence > 0 && c.confidence <= 1);
    }), { numRuns: 300 });
  });
});
