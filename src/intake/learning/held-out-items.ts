import type { Catalogue } from '../../catalogue/catalogue.js';
import { compileLexicon } from '../lexicon.js';
import type { Prediction } from '../model/evaluate.js';
import { CHATTER, UNCLEAR, type IntakeModel } from '../model/intake-model.js';
import { decideServices, readMessage, settle, type Reading } from '../model/read-message.js';
import { predictMultiLabel } from '../model/multilabel.js';
import { predictProba } from '../model/softmax-regression.js';
import type { LabelledMessage, TrainingExample } from '../model/training.js';
import type { StreetGazetteer } from '../street-gazetteer.js';
import { findWard } from '../ward-finder.js';

/**
 * A message held out of training and scored: a shipped one (only its hashed features are kept, so
 * it is read whole, without its parts, and its ward is taken as settled unless its label says it
 * was missing) or one of the council's (read exactly as `parseMessage` reads it).
 */
export type HeldOutItem =
  | { kind: 'shipped'; group: number; x: number[]; wardFound: boolean; expected: LabelledMessage }
  | { kind: 'council'; message: LabelledMessage };

/**
 * The shipped examples grouped back into messages. A message's labels are those of its `message`
 * examples (chatter, unclear, or its services); one whose only example is a `guess` was labelled
 * "ward missing". Parts, and the catalogue's own sentences, are training material only.
 */
export function shippedItems(examples: TrainingExample[]): Map<number, HeldOutItem & { kind: 'shipped' }> {
  const by = new Map<number, { x: number[]; labels: Set<string>; weight: number }>();
  for (const e of examples) {
    if (e.source === 'part') continue;
    const g = by.get(e.group) ?? { x: e.x, labels: new Set<string>(), weight: 0 };
    if (e.source === 'message') { g.labels.add(e.label); g.weight += e.weight; }
    by.set(e.group, g);
  }
  const out = new Map<number, HeldOutItem & { kind: 'shipped' }>();
  for (const [group, g] of by) {
    // The catalogue's own sentences (weight ½, one label) teach; they are not messages to score.
    if (g.labels.size && g.weight < 0.99) continue;
    const labels = [...g.labels];
    const base = { id: `shipped:${group}`, sender: { wards: [] }, text: '' };
    let expected: LabelledMessage['expected'];
    if (labels.includes(CHATTER)) expected = { kind: 'chatter', cases: [], missing: [] };
    else if (labels.includes(UNCLEAR)) expected = { kind: 'clarify', cases: [], missing: ['service'] };
    else if (!labels.length) expected = { kind: 'clarify', cases: [], missing: ['ward'] };
    else expected = { kind: 'escalation', cases: labels.map((service) => ({ service, ward: '' })), missing: [] };
    out.set(group, { kind: 'shipped', group, x: g.x, wardFound: labels.length > 0, expected: { ...base, expected } });
  }
  return out;
}

function wholeReading(x: number[], model: IntakeModel): Reading {
  const whole = predictProba(model.softmax, x);
  const chatter = model.gate ? predictProba(model.gate, x)[0]! : whole[model.softmax.classes.indexOf(CHATTER)] ?? 0;
  return {
    classes: model.softmax.classes, whole, chatter, parts: [], hits: [],
    multi: model.multi ? predictMultiLabel(model.multi, x) : null, multiClasses: model.multi?.classes ?? [], extraWeights: model.extraCases,
  };
}

/** What the model would do with the item, in the scorer's terms (the same as bench:intake-eval's). */
export function predictItem(item: HeldOutItem, model: IntakeModel, catalogue: Catalogue, known: ReadonlySet<string>, streets?: StreetGazetteer): Prediction {
  if (item.kind === 'shipped') {
    const s = settle(decideServices(wholeReading(item.x, model), model.thresholds, known), item.wardFound);
    return { kind: s.kind, missing: s.missing, cases: s.kind === 'escalation' ? s.chosen.map((c) => ({ ward: '', service: c.serviceId, confidence: c.confidence })) : [] };
  }
  const m = item.message;
  const reading = readMessage(m.text, { channelName: m.channel ?? null, role: m.sender.role ?? null, platform: m.platform ?? null }, catalogue, model);
  const ward = findWard(m.text, m.channel ?? '', m.sender.wards, compileLexicon(catalogue), streets);
  const s = settle(decideServices(reading, model.thresholds, known), ward.kind === 'found');
  if (s.kind !== 'escalation' || ward.kind !== 'found') return { kind: s.kind, cases: [], missing: s.missing };
  return { kind: s.kind, missing: [], cases: s.chosen.map((c) => ({ ward: ward.wardId, service: c.serviceId, confidence: c.confidence })) };
}

export const expectedOf = (item: HeldOutItem): LabelledMessage => (item.kind === 'shipped' ? item.expected : item.message);
