import { describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../../src/catalogue/default-catalogue.js';
import { councilTrainingExamples } from '../../../src/intake/learning/council-examples.js';
import { foldOfCouncil } from '../../../src/intake/learning/cross-compare.js';
import { shippedItems } from '../../../src/intake/learning/held-out-items.js';
import { judge, outcomeOf, pairOutcomes } from '../../../src/intake/learning/verdict.js';
import { measure, type Measures, type Prediction } from '../../../src/intake/model/evaluate.js';
import { loadShippedModel } from '../../../src/intake/model/intake-model.js';
import type { LabelledMessage, TrainingExample } from '../../../src/intake/model/training.js';
import { greenCrewExamples } from '../../support/council-examples.js';

const msg = (kind: LabelledMessage['expected']['kind'], cases: { ward: string; service: string }[] = []): LabelledMessage => ({
  id: 'x', sender: { wards: [] }, text: '', expected: { kind, cases, missing: kind === 'clarify' ? ['service'] : [] },
});
const pred = (kind: Prediction['kind'], cases: { ward: string; service: string }[] = []): Prediction => ({ kind, missing: [], cases: cases.map((c) => ({ ...c, confidence: 0.9 })) });
const E = { ward: 'erdington', service: 'parks' };
const W = { ward: 'erdington', service: 'libraries' };

describe('the per-message outcomes', () => {
  it('add up to the figures bench:intake-eval prints', () => {
    const messages = [msg('escalation', [E]), msg('escalation', [E]), msg('chatter'), msg('clarify'), msg('chatter')];
    const preds = [pred('escalation', [E]), pred('escalation', [W]), pred('escalation', [W]), pred('clarify'), pred('chatter')];
    const m = measure(messages, preds);
    const o = messages.map((x, i) => outcomeOf(x, preds[i]!));
    expect(o.filter((x) => x.exact).length / o.filter((x) => x.exact !== null).length).toBe(m.exact);
    expect(o.reduce((s, x) => s + x.wrongCases, 0) / m.casesOpened).toBe(m.misroute);
    expect(o.filter((x) => x.chatterIgnored).length / 2).toBe(m.chatterIgnored);
    expect(o.filter((x) => x.clarifyAsked).length).toBe(m.clarifyAsked);
  });
});

const figures = (f: Partial<Measures>): Measures => ({ n: 100, kindAccuracy: 0, exact: 0.8, misroute: 0.03, chatterIgnored: 0.9, clarifyAsked: 0.9, casesOpened: 60, coverage: 0, serviceHit: 0, wardHit: 0, ...f });
const even = { exact: { better: 0, worse: 0 }, misroute: { better: 0, worse: 0 }, chatterIgnored: { better: 0, worse: 0 }, clarifyAsked: { better: 0, worse: 0 } };

describe('"not worse"', () => {
  it('adopts a candidate as good as the model in use', () => {
    expect(judge(figures({}), figures({}), even).adopt).toBe(true);
  });

  it('refuses a lower score: one point of misroute costs five of exact', () => {
    const v = judge(figures({ exact: 0.84, misroute: 0.04 }), figures({}), { ...even, exact: { better: 4, worse: 0 }, misroute: { better: 0, worse: 1 } });
    expect(v.score.candidate).toBeLessThan(v.score.inUse);
    expect(v.adopt).toBe(false);
  });

  it('refuses a clear loss on one measure even when the score rises', () => {
    const v = judge(figures({ exact: 0.95, clarifyAsked: 0.8 }), figures({}), { ...even, exact: { better: 15, worse: 0 }, clarifyAsked: { better: 0, worse: 10 } });
    expect(v.score.ok).toBe(true);
    expect(v.checks.find((c) => c.measure === 'clarifyAsked')).toMatchObject({ ok: false, allowed: 6 });
    expect(v.adopt).toBe(false);
  });

  it('lets a few messages go either way (retraining noise)', () => {
    const v = judge(figures({ exact: 0.82, chatterIgnored: 0.88 }), figures({}), { ...even, exact: { better: 5, worse: 3 }, chatterIgnored: { better: 1, worse: 3 } });
    expect(v.checks.every((c) => c.ok)).toBe(true);
  });

  it('refuses a candidate that reads the council\'s own messages worse, though its questions cut the misroutes counted on them', () => {
    const own = { candidate: figures({ exact: 0.4, misroute: 0.11 }), inUse: figures({ exact: 0.46, misroute: 0.54 }), paired: { ...even, exact: { better: 0, worse: 6 }, misroute: { better: 49, worse: 0 } } };
    const v = judge(figures({ misroute: 0.01 }), figures({}), { ...even, misroute: { better: 49, worse: 0 } }, own);
    expect([v.score.ok, v.checks.every((c) => c.ok)]).toEqual([true, true]);
    expect(v.council).toMatchObject({ measure: 'exact', candidate: 0.4, inUse: 0.46, better: 0, worse: 6, allowed: 4, ok: false });
    expect(v.adopt).toBe(false);
    const learnt = judge(figures({}), figures({}), even, { ...own, candidate: figures({ exact: 0.95 }), paired: { ...even, exact: { better: 49, worse: 0 } } });
    expect([learnt.council?.ok, learnt.adopt]).toEqual([true, true]);
  });

  it('pairs outcomes message by message', () => {
    const o = (exact: boolean, wrongCases: number) => ({ exact, chatterIgnored: null, clarifyAsked: null, wrongCases });
    expect(pairOutcomes([o(true, 0), o(false, 1), o(true, 0)], [o(false, 1), o(false, 0), o(true, 0)])).toMatchObject({
      exact: { better: 1, worse: 0 }, misroute: { better: 1, worse: 1 },
    });
  });
});

describe('examples for retraining', () => {
  it('turns the shipped examples back into messages to score, leaving parts and the catalogue\'s sentences to training', () => {
    const ex = (group: number, label: string, weight: number, source: TrainingExample['source'] = 'message'): TrainingExample => ({ group, label, weight, source, x: [group] });
    const items = shippedItems([
      ex(1, 'parks', 0.5), ex(1, 'libraries', 0.5), ex(1, 'parks', 0.5, 'part'),
      ex(2, 'chatter', 1), ex(3, 'unclear', 1), ex(4, 'parks', 0.5, 'guess'), ex(5, 'parks', 0.5),
    ]);
    expect([...items.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(items.get(1)!.expected.expected).toMatchObject({ kind: 'escalation', cases: [{ service: 'parks' }, { service: 'libraries' }] });
    expect(items.get(2)!.expected.expected.kind).toBe('chatter');
    expect(items.get(3)!.expected.expected).toMatchObject({ kind: 'clarify', missing: ['service'] });
    expect(items.get(4)).toMatchObject({ wardFound: false, expected: { expected: { kind: 'clarify', missing: ['ward'] } } });
  });

  it('labels a council example with its services; a message that named only the ward missing teaches nothing', () => {
    const [green] = greenCrewExamples(1);
    const out = councilTrainingExamples([green!, { ...green!, id: 2, kind: 'clarify', cases: [], missing: ['ward'] }, { ...green!, id: 3, kind: 'chatter', cases: [] }],
      loadDefaultCatalogue(), loadShippedModel());
    expect(out.map((e) => [e.label, e.weight, e.source])).toEqual([['refuse-collection', 1, 'message'], ['chatter', 1, 'message']]);
  });

  it('keeps a council example in its fold as more examples arrive', () => {
    const before = Array.from({ length: 50 }, (_, i) => foldOfCouncil(i + 1, 5, 2026));
    const after = Array.from({ length: 80 }, (_, i) => foldOfCouncil(i + 1, 5, 2026));
    expect(after.slice(0, 50)).toEqual(before);
    expect(new Set(after).size).toBe(5);
  });
});
