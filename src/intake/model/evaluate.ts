import type { Catalogue } from '../../catalogue/catalogue.js';
import { compileLexicon } from '../lexicon.js';
import { normaliseText } from '../normalise.js';
import { findWard, type WardFinding } from '../ward-finder.js';
import { extraCandidates, trainExtraCases } from './extra-cases.js';
import { DEFAULT_THRESHOLDS, type IntakeModel, type Thresholds } from './intake-model.js';
import { decideServices, readMessage, settle, type Reading } from './read-message.js';
import { buildExamples, classesOf, foldsOf, trainModel, type LabelledMessage, type ModelOptions, type TrainingExample } from './training.js';

/** What the parser would say, in the scorer's terms. */
export interface Prediction {
  kind: 'escalation' | 'chatter' | 'clarify';
  cases: { ward: string; service: string; confidence: number }[];
  missing: string[];
}

/** The scorer's measures (shared/eval/score.mjs): exact ward+service set, misroutes among cases opened, chatter ignored, clarify asked. */
export interface Measures {
  n: number;
  kindAccuracy: number;
  exact: number;
  misroute: number;
  chatterIgnored: number;
  clarifyAsked: number;
  casesOpened: number;
  /** Share of the expected cases that were opened with the right ward and service. */
  coverage: number;
  /** Share of the expected cases whose service (whatever the ward) / ward (whatever the service) was among those opened, as score.mjs counts. */
  serviceHit: number;
  wardHit: number;
}

export function measure(messages: LabelledMessage[], preds: Prediction[]): Measures {
  let kindOk = 0, escN = 0, exact = 0, opened = 0, wrong = 0, chatN = 0, chatOk = 0, clarN = 0, clarOk = 0, expCases = 0, rightCases = 0, svcHit = 0, wardHit = 0, expAll = 0;
  messages.forEach((m, i) => {
    const p = preds[i]!;
    const e = m.expected;
    const key = (c: { ward?: string; service: string }) => `${c.ward}|${c.service}`;
    if (p.kind === e.kind) kindOk++;
    opened += p.cases.length;
    if (e.kind === 'escalation') {
      escN++;
      const want = new Set(e.cases.map(key));
      const got = new Set(p.cases.map(key));
      if (p.kind === 'escalation' && want.size === got.size && [...want].every((k) => got.has(k))) exact++;
      wrong += p.cases.filter((c) => !want.has(key(c))).length;
      expCases += want.size;
      for (const c of e.cases) {
        expAll++;
        if (p.cases.some((q) => q.service === c.service)) svcHit++;
        if (p.cases.some((q) => q.ward === c.ward)) wardHit++;
      }
      rightCases += [...got].filter((k) => want.has(k)).length;
    } else {
      wrong += p.cases.length;
      if (e.kind === 'chatter') { chatN++; if (p.kind === 'chatter') chatOk++; }
      if (e.kind === 'clarify') { clarN++; if (p.kind === 'clarify') clarOk++; }
    }
  });
  const r = (a: number, b: number) => (b ? a / b : 0);
  return {
    n: messages.length, kindAccuracy: r(kindOk, messages.length), exact: r(exact, escN), misroute: r(wrong, Math.max(1, opened)),
    chatterIgnored: r(chatOk, chatN), clarifyAsked: r(clarOk, clarN), casesOpened: opened, coverage: r(rightCases, expCases),
    serviceHit: r(svcHit, expAll), wardHit: r(wardHit, expAll),
  };
}

/** A message as the model read it, before thresholds, with its ward (which no threshold changes). */
export interface Read {
  reading: Reading;
  ward: WardFinding;
}

export function readCorpus(messages: LabelledMessage[], model: IntakeModel, catalogue: Catalogue): Read[] {
  const lex = compileLexicon(catalogue);
  return messages.map((m) => {
    const text = normaliseText(m.text);
    const reading = readMessage(text, { channelName: m.channel ?? null, role: m.sender.role ?? null, platform: m.platform ?? null }, catalogue, model);
    return { reading, ward: findWard(text, m.channel ?? '', m.sender.wards ?? [], lex) };
  });
}

export function predictAll(reads: Read[], th: Thresholds, known: ReadonlySet<string>): Prediction[] {
  return reads.map(({ reading, ward }) => {
    const s = settle(decideServices(reading, th, known), ward.kind === 'found');
    if (s.kind !== 'escalation' || ward.kind !== 'found') return { kind: s.kind, cases: [], missing: s.missing };
    return { kind: s.kind, missing: [], cases: s.chosen.map((c) => ({ ward: ward.wardId, service: c.serviceId, confidence: c.confidence })) };
  });
}

const GRID = {
  chatter: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
  abstain: Array.from({ length: 19 }, (_, i) => Math.round(i * 5) / 100),
  extra: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
};

/** How much one point of misroute costs against one point of exact, chatter ignored or clarify asked. */
export const MISROUTE_COST = 5;

/**
 * The thresholds that decide best on held-out readings: the highest exact + chatter ignored +
 * clarify asked − MISROUTE_COST × misroute share. (Holding misroutes to 2 % outright would
 * leave too few cases opened with today's model; the curve in bench/intake-eval shows the trade.)
 */
export function chooseThresholds(messages: LabelledMessage[], reads: Read[], known: ReadonlySet<string>): { thresholds: Thresholds; measures: Measures } {
  let best: { thresholds: Thresholds; measures: Measures; score: number } | null = null;
  for (const chatter of GRID.chatter) for (const extra of GRID.extra) for (const abstain of GRID.abstain) {
    const thresholds = { ...DEFAULT_THRESHOLDS, chatter, abstain, extra };
    const m = measure(messages, predictAll(reads, thresholds, known));
    const score = m.exact + m.chatterIgnored + m.clarifyAsked - MISROUTE_COST * m.misroute;
    if (!best || score > best.score + 1e-9) best = { thresholds, measures: m, score };
  }
  return { thresholds: best!.thresholds, measures: best!.measures };
}

/** Readings of every message by a model that never saw it (k-fold, grouped by message). */
export function heldOutReads(messages: LabelledMessage[], catalogue: Catalogue, folds: number, seed: number, opts: ModelOptions = {}): Read[] {
  const fold = foldsOf(messages, (m) => m.id, folds, seed);
  const reads: Read[] = new Array(messages.length);
  for (let f = 0; f < folds; f++) {
    const train = messages.filter((_, i) => fold[i] !== f);
    const model = trainModel(buildExamples(train, catalogue, opts.train), classesOf(catalogue), opts);
    const testIdx = messages.map((_, i) => i).filter((i) => fold[i] === f);
    const got = readCorpus(testIdx.map((i) => messages[i]!), model, catalogue);
    testIdx.forEach((i, j) => { reads[i] = got[j]!; });
  }
  return reads;
}

/** Candidate further services of held-out readings of escalations, labelled by whether the message has them. */
export function extraSamples(messages: LabelledMessage[], reads: Read[], known: ReadonlySet<string>): { features: number[]; y: number }[] {
  const out: { features: number[]; y: number }[] = [];
  const isService = (c: string) => known.has(c);
  messages.forEach((m, i) => {
    if (m.expected.kind !== 'escalation') return;
    const r = reads[i]!.reading;
    let top = -1;
    r.classes.forEach((c, k) => { if (isService(c) && (top < 0 || r.whole[k]! > r.whole[top]!)) top = k; });
    const want = new Set(m.expected.cases.map((c) => c.service));
    for (const c of extraCandidates(r, r.classes[top] ?? '', isService)) out.push({ features: c.features, y: want.has(c.serviceId) ? 1 : 0 });
  });
  return out;
}

/** The whole training: examples, weights, and thresholds chosen by an inner cross-validation of the same messages. */
export function fitIntakeModel(messages: LabelledMessage[], catalogue: Catalogue, opts: ModelOptions & { innerFolds?: number; seed?: number } = {}): { model: IntakeModel; examples: TrainingExample[] } {
  const known = new Set(catalogue.services.map((s) => s.id as string));
  const inner = heldOutReads(messages, catalogue, opts.innerFolds ?? 3, (opts.seed ?? 7) + 1, opts);
  const extraCases = trainExtraCases(extraSamples(messages, inner, known));
  for (const r of inner) r.reading.extraWeights = extraCases;
  const { thresholds, measures } = chooseThresholds(messages, inner, known);
  const examples = buildExamples(messages, catalogue, opts.train);
  const model = trainModel(examples, classesOf(catalogue), { ...opts, thresholds, extraCases, trainedOn: { ...opts.trainedOn, messages: messages.length, examples: examples.length, innerCv: measures } });
  return { model, examples };
}
