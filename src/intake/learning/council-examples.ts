import type { Catalogue } from '../../catalogue/catalogue.js';
import { segmentMessage } from '../segment.js';
import { hashFeature } from '../model/features.js';
import { CHATTER, UNCLEAR, type IntakeModel } from '../model/intake-model.js';
import { predictProba } from '../model/softmax-regression.js';
import { cachedFeatures, type LabelledMessage, type TrainingExample } from '../model/training.js';

export const EXAMPLE_KINDS = ['escalation', 'clarify', 'chatter'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];
export const EXAMPLE_SOURCES = ['correction', 'clarify'] as const;
export type ExampleSource = (typeof EXAMPLE_SOURCES)[number];

/**
 * A council's own labelled message: the text as received (cleaned), where it came from, and what
 * the council said it was — a correction's ward and service, or the answer to a question.
 */
export interface CouncilExample {
  id: number;
  text: string;
  platform: string | null;
  channelName: string | null;
  senderRole: string | null;
  senderWards: string[];
  kind: ExampleKind;
  cases: { ward: string | null; service: string }[];
  missing: ('ward' | 'service')[];
}

/** The example as the corpus format the evaluation reads (LABELS.md). */
export function asLabelledMessage(e: CouncilExample): LabelledMessage {
  return {
    id: `council:${e.id}`, platform: e.platform, channel: e.channelName, sender: { role: e.senderRole, wards: e.senderWards }, text: e.text,
    expected: { kind: e.kind, cases: e.cases.map((c) => ({ service: c.service, ...(c.ward ? { ward: c.ward } : {}) })), missing: e.missing },
  };
}

/**
 * Training examples of a council's messages, as `buildExamples` makes them of the corpus: one per
 * service the message names (weights adding to 1), chatter and "service unclear" one each (a message
 * whose only gap is its ward, with no service given, teaches nothing and is left out); each part
 * of a several-problem message goes, at half weight, to the labelled service `partModel` finds it
 * most like (the model in use: no first model to train).
 */
export function councilTrainingExamples(list: CouncilExample[], catalogue: Catalogue, partModel: IntakeModel): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const e of list) {
    const meta = { channelName: e.channelName, role: e.senderRole, platform: e.platform };
    const x = cachedFeatures(e.text, meta, catalogue);
    const group = hashFeature(`group:council:${e.id}`);
    const wanted = [...new Set(e.cases.map((c) => c.service))];
    if (e.kind === 'chatter') out.push({ group, label: CHATTER, weight: 1, x, source: 'message' });
    else if (!wanted.length && e.missing.includes('service')) out.push({ group, label: UNCLEAR, weight: 1, x, source: 'message' });
    else if (!wanted.length) continue; // only the ward was missing, and no service given: nothing to learn
    else for (const s of wanted) out.push({ group, label: s, weight: 1 / wanted.length, x, source: 'message' });
    if (wanted.length > 1) out.push(...partsOf(e.text, meta, wanted, group, catalogue, partModel));
  }
  return out;
}

function partsOf(text: string, meta: Parameters<typeof cachedFeatures>[1], wanted: string[], group: number, catalogue: Catalogue, model: IntakeModel): TrainingExample[] {
  const segments = segmentMessage(text);
  if (segments.length < 2) return [];
  const out: TrainingExample[] = [];
  for (const seg of segments) {
    const x = cachedFeatures(seg.text, meta, catalogue);
    const p = predictProba(model.softmax, x);
    let best: { label: string; p: number } | null = null;
    for (const label of wanted) {
      const k = model.softmax.classes.indexOf(label);
      if (k >= 0 && (!best || p[k]! > best.p)) best = { label, p: p[k]! };
    }
    if (best && best.p >= 0.2) out.push({ group, label: best.label, weight: 0.5, x, source: 'part' });
  }
  return out;
}
