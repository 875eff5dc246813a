import type { Catalogue } from '../../catalogue/catalogue.js';
import { normaliseText } from '../normalise.js';
import { catalogueMessages } from './catalogue-examples.js';
import { segmentMessage } from '../segment.js';
import { FEATURE_BITS, featuresOfText, hashFeature, type FeatureMeta } from './features.js';
import { CHATTER, DEFAULT_THRESHOLDS, GATE_CLASSES, MODEL_FORMAT, UNCLEAR, type IntakeModel, type Thresholds } from './intake-model.js';
import { trainMultiLabel, type MultiExample } from './multilabel.js';
import { predictProba, seededRandom, shuffled, trainSoftmax, type Example, type SoftmaxModel, type TrainOptions } from './softmax-regression.js';

/** A message as labelled for training (the corpus format of LABELS.md). */
export interface LabelledMessage {
  id: string;
  platform?: string | null;
  channel?: string | null;
  sender: { role?: string | null; wards: string[] };
  text: string;
  expected: { kind: 'escalation' | 'chatter' | 'clarify'; cases: { service: string; ward?: string }[]; missing: string[] };
  /** How much the message counts (1 unless said). */
  weight?: number;
}

/** One training example as shipped: hashed features and a label, never the text. */
export interface TrainingExample {
  /** The message it came from (hashed id): examples of one message stay in one fold. */
  group: number;
  label: string;
  weight: number;
  x: number[];
  /** `message` as labelled; `part` a part of a several-problem message; `guess` a service guessed for a message whose label says only that the ward is missing. */
  source: 'message' | 'part' | 'guess';
}

export function classesOf(catalogue: Catalogue): string[] {
  return [CHATTER, UNCLEAR, ...catalogue.services.map((s) => s.id as string)];
}

const metaOf = (m: LabelledMessage): FeatureMeta => ({ channelName: m.channel === undefined ? undefined : m.channel, role: m.sender.role ?? null, platform: m.platform ?? null });

/** Features are pure: the same text and meta give the same vector, so training runs read each once. */
const memo = new Map<string, number[]>();
export function cachedFeatures(text: string, meta: FeatureMeta, catalogue: Catalogue): number[] {
  const key = `${meta.channelName}\u0001${meta.role}\u0001${meta.platform}\u0001${text}`;
  let x = memo.get(key);
  if (!x) {
    if (memo.size > 50_000) memo.clear();
    x = featuresOfText(text, meta, catalogue);
    memo.set(key, x);
  }
  return x;
}

function toExamples(list: TrainingExample[], classes: string[]): Example[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  return list.filter((e) => index.has(e.label)).map((e) => ({ x: e.x, y: index.get(e.label)!, w: e.weight }));
}

function bestOf(sm: SoftmaxModel, p: Float64Array, among: string[]): { label: string; p: number } | null {
  let best: { label: string; p: number } | null = null;
  for (const label of among) {
    const k = sm.classes.indexOf(label);
    if (k >= 0 && (!best || p[k]! > best.p)) best = { label, p: p[k]! };
  }
  return best;
}

/**
 * The training examples of labelled messages, and of short messages made from the catalogue's
 * own words for each service (catalogue-examples.ts). Chatter and "service unclear" messages are one
 * example each; an escalation gives one example per service (weights adding to 1). Then a first
 * model labels what the corpus leaves open: each part of a several-problem message goes to the
 * message's service it most resembles, and a message labelled only "ward missing" gets its most
 * likely service, both at half weight.
 */
export function buildExamples(corpus: LabelledMessage[], catalogue: Catalogue, opts: Partial<TrainOptions> = {}): TrainingExample[] {
  const classes = classesOf(catalogue);
  const messages = [...corpus, ...catalogueMessages(catalogue)];
  const services = classes.slice(2);
  const out: TrainingExample[] = [];
  const pending: { m: LabelledMessage; x: number[]; group: number; text: string }[] = [];
  for (const m of messages) {
    const text = normaliseText(m.text);
    const x = cachedFeatures(text, metaOf(m), catalogue);
    const group = hashFeature(`group:${m.id}`);
    const e = m.expected;
    const wanted = [...new Set(e.cases.map((c) => c.service))];
    const w = m.weight ?? 1;
    if (e.kind === 'chatter') out.push({ group, label: CHATTER, weight: w, x, source: 'message' });
    else if (e.missing.includes('service')) out.push({ group, label: UNCLEAR, weight: w, x, source: 'message' });
    else if (wanted.length) for (const s of wanted) out.push({ group, label: s, weight: w / wanted.length, x, source: 'message' });
    else pending.push({ m, x, group, text });
    if (wanted.length > 1) pending.push({ m, x, group, text });
  }
  const first = trainSoftmax(toExamples(out, classes), classes, opts);
  for (const { m, x, group, text } of pending) {
    const wanted = [...new Set(m.expected.cases.map((c) => c.service))];
    if (!wanted.length) {
      const guess = bestOf(first, predictProba(first, x), services);
      if (guess) out.push({ group, label: guess.label, weight: 0.5, x, source: 'guess' });
      continue;
    }
    const segments = segmentMessage(text);
    if (segments.length < 2) continue;
    for (const sx of segments.map((seg) => cachedFeatures(seg.text, metaOf(m), catalogue))) {
      const best = bestOf(first, predictProba(first, sx), wanted);
      if (best && best.p >= 0.2) out.push({ group, label: best.label, weight: 0.5, x: sx, source: 'part' });
    }
  }
  return out;
}

export interface ModelOptions {
  train?: Partial<TrainOptions>;
  thresholds?: Thresholds;
  /** Weights of the several-problems decision (extra-cases.ts), learned on held-out readings. */
  extraCases?: number[] | null;
  version?: string;
  trainedOn?: Record<string, unknown>;
}

/** Trains the intake model on examples (the shipped ones, a council's corrections, or both). */
export function trainModel(examples: TrainingExample[], classes: string[], opts: ModelOptions = {}): IntakeModel {
  const softmax = trainSoftmax(toExamples(examples, classes), classes, opts.train);
  const whole = examples.filter((e) => e.source !== 'part').map((e) => ({ ...e, label: e.label === CHATTER ? CHATTER : 'problem' }));
  const gate = trainSoftmax(toExamples(whole, [...GATE_CLASSES]), [...GATE_CLASSES], opts.train);
  const services = classes.filter((c) => c !== CHATTER && c !== UNCLEAR);
  const multi = trainMultiLabel(toMultiExamples(examples, services), services, opts.train);
  return {
    format: MODEL_FORMAT, version: opts.version ?? 'unversioned', featureBits: FEATURE_BITS,
    thresholds: opts.thresholds ?? DEFAULT_THRESHOLDS, softmax, gate, multi, extraCases: opts.extraCases ?? null, trainedOn: opts.trainedOn ?? {},
  };
}

/** One multi-label example per message (or part): the services among its examples' labels, weights added. */
function toMultiExamples(list: TrainingExample[], services: string[]): MultiExample[] {
  const index = new Map(services.map((c, i) => [c, i]));
  const by = new Map<string, MultiExample>();
  for (const e of list) {
    const key = `${e.group}|${e.source}|${e.x.length}|${e.x[0]}|${e.x[e.x.length - 1]}`;
    const m = by.get(key) ?? { x: e.x, ys: [], w: 0 };
    const k = index.get(e.label);
    if (k !== undefined && !m.ys.includes(k)) m.ys.push(k);
    m.w += e.weight;
    by.set(key, m);
  }
  return [...by.values()];
}

/** Which fold each group falls in: a seeded shuffle of the distinct groups, dealt round. */
export function foldsOf<T>(items: T[], groupOf: (t: T) => number | string, folds: number, seed: number): number[] {
  const groups = [...new Set(items.map(groupOf))].sort();
  const dealt = new Map(shuffled(groups, seededRandom(seed)).map((g, i) => [g, i % folds]));
  return items.map((t) => dealt.get(groupOf(t))!);
}

export interface ExampleCv {
  folds: { accuracy: number; logLoss: number; n: number }[];
  accuracy: number;
  logLoss: number;
}

/** Example-level cross-validation (grouped by message): label accuracy and log loss of the held-out messages. */
export function crossValidate(examples: TrainingExample[], classes: string[], folds = 5, seed = 1, opts: ModelOptions = {}): ExampleCv {
  const fold = foldsOf(examples, (e) => e.group, folds, seed);
  const out: ExampleCv['folds'] = [];
  for (let f = 0; f < folds; f++) {
    const model = trainModel(examples.filter((_, i) => fold[i] !== f), classes, opts);
    const test = examples.filter((e, i) => fold[i] === f && e.source === 'message');
    let right = 0, loss = 0, n = 0;
    for (const e of test) {
      const p = predictProba(model.softmax, e.x);
      const k = classes.indexOf(e.label);
      let best = 0;
      for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
      right += (best === k ? 1 : 0) * e.weight;
      loss += -Math.log(Math.max(1e-12, p[k]!)) * e.weight;
      n += e.weight;
    }
    out.push({ accuracy: n ? right / n : 0, logLoss: n ? loss / n : 0, n });
  }
  const total = out.reduce((s, f) => s + f.n, 0);
  return { folds: out, accuracy: out.reduce((s, f) => s + f.accuracy * f.n, 0) / total, logLoss: out.reduce((s, f) => s + f.logLoss * f.n, 0) / total };
}
