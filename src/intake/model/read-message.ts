import type { Catalogue } from '../../catalogue/catalogue.js';
import { segmentMessage, type Segment } from '../segment.js';
import { compileLexicon } from '../lexicon.js';
import { partHits, scanMessage } from '../message-hits.js';
import type { Hit } from '../service-classifier.js';
import { featuresOfHits, type FeatureMeta } from './features.js';
import { CHATTER, UNCLEAR, type IntakeModel, type Thresholds } from './intake-model.js';
import { extraCandidates, scoreExtra } from './extra-cases.js';
import { predictMultiLabel } from './multilabel.js';
import { predictProba } from './softmax-regression.js';

/** What the model says about a message and each of its parts, before any threshold. */
export interface Reading {
  classes: string[];
  whole: Float64Array;
  /** The probability that the message is chatter. */
  chatter: number;
  parts: { segment: Segment; p: Float64Array; multi: Float64Array | null }[];
  /** The catalogue's phrases in the message, by position. */
  hits: Hit[];
  /** Each service's own probability of being among the message's problems (classes: `multiClasses`). */
  multi: Float64Array | null;
  multiClasses: string[];
  /** The weights that decide whether a part is a problem of its own (extra-cases.ts), when trained. */
  extraWeights: number[] | null;
}

export function readMessage(text: string, meta: FeatureMeta, catalogue: Catalogue, model: IntakeModel): Reading {
  const sm = model.softmax;
  const lex = compileLexicon(catalogue);
  const scan = scanMessage(text, lex);
  const hits = scan.hits;
  const x = featuresOfHits(text, meta, hits, catalogue);
  const whole = predictProba(sm, x);
  const segments = segmentMessage(text);
  const partX = segments.length < 2 ? [] : segments.map((seg) => featuresOfHits(seg.text, meta, partHits(scan, lex, seg), catalogue));
  const chatter = chatterOf(model, x, partX, whole[sm.classes.indexOf(CHATTER)] ?? 0);
  const parts = partX.map((px, i) => ({ segment: segments[i]!, p: predictProba(sm, px), multi: model.multi ? predictMultiLabel(model.multi, px) : null }));
  const multi = model.multi ? predictMultiLabel(model.multi, x) : null;
  return { classes: sm.classes, whole, chatter, parts, hits, multi, multiClasses: model.multi?.classes ?? [], extraWeights: model.extraCases };
}

/**
 * The probability that a message is chatter: the gate's on the whole message, but no more than
 * its parts say on average, so that two plain problems in one message ("pothole on A Road; and
 * fly-tipping on B Lane") are not taken for an update because the whole names two services; and
 * no more than the service model's own chatter class says. Both models must take it for chatter:
 * on cross-validation this ignored more chatter and kept as many cases as the gate alone, and a
 * short plain report ("Fly-tipping on Edwards Road, Erdington, a pile of tyres") that one of them
 * misreads still opens its case.
 */
function chatterOf(model: IntakeModel, x: number[], partX: number[][], softmaxChatter: number): number {
  if (!model.gate) return softmaxChatter;
  const whole = predictProba(model.gate, x)[0]!;
  const parts = partX.length ? partX.reduce((s, px) => s + predictProba(model.gate!, px)[0]!, 0) / partX.length : 1;
  return Math.min(whole, parts, softmaxChatter);
}

export interface ServiceChoice {
  serviceId: string;
  /** The model's probability that this is the service, among the problem classes. */
  confidence: number;
  /** The parts of the message that describe it (empty: the whole message). */
  parts: Segment[];
}

export interface ServiceDecision {
  kind: 'chatter' | 'problem';
  chosen: ServiceChoice[];
  /** No service can be settled: ask. */
  unsure: boolean;
  /** Services by probability, for the buttons when asking. */
  ranked: { serviceId: string; p: number }[];
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

/** Separate problems: parts that the model is sure about, each for a service the whole message also supports. */
function problemsInParts(r: Reading, th: Thresholds, isService: (c: string) => boolean, share: (k: number) => number): ServiceChoice[] {
  const by = new Map<string, ServiceChoice>();
  for (const part of r.parts) {
    const k = argmax(part.p);
    const id = r.classes[k]!;
    if (!isService(id) || part.p[k]! < th.segment || share(k) < th.share) continue;
    const c = by.get(id) ?? { serviceId: id, confidence: 0, parts: [] };
    c.confidence = Math.max(c.confidence, part.p[k]!);
    c.parts.push(part.segment);
    by.set(id, c);
  }
  return [...by.values()].filter((c) => c.confidence >= th.abstain);
}

/** Applies the thresholds: chatter, one or several services, or unsure. */
export function decideServices(r: Reading, th: Thresholds, known: ReadonlySet<string>): ServiceDecision {
  const ci = r.classes.indexOf(CHATTER);
  const ui = r.classes.indexOf(UNCLEAR);
  const isService = (c: string) => c !== CHATTER && c !== UNCLEAR && known.has(c);
  const pc = r.chatter;
  const rest = Math.max(1e-9, 1 - (ci >= 0 ? r.whole[ci]! : 0));
  const share = (k: number) => r.whole[k]! / rest;
  const ranked = r.classes.map((c, k) => ({ serviceId: c, p: share(k) })).filter((x) => isService(x.serviceId)).sort((a, b) => b.p - a.p);
  if (pc >= th.chatter) return { kind: 'chatter', chosen: [], unsure: false, ranked };
  if (!r.multi) {
    const several = problemsInParts(r, th, isService, share);
    if (several.length >= 2) return { kind: 'problem', chosen: several.slice(0, 4), unsure: false, ranked };
  }
  const top = ranked[0];
  const unclear = ui >= 0 ? share(ui) : 0;
  if (!top || unclear >= top.p) return { kind: 'problem', chosen: [], unsure: true, ranked };
  const extras = extraServices(r, th, top.serviceId, isService);
  // The likeliest service's probability: its share of the softmax, or the multi-label model's own
  // when that is surer (a message half like another service is still plainly about this one). Two
  // problems share the softmax's probability: together they must pass the bar.
  const own = r.multi ? r.multi[r.multiClasses.indexOf(top.serviceId)] ?? 0 : 0;
  const confidence = Math.max(top.p, own);
  const covered = confidence + extras.reduce((s, e) => s + (ranked.find((x) => x.serviceId === e.serviceId)?.p ?? 0), 0);
  if (covered < th.abstain) return { kind: 'problem', chosen: [], unsure: true, ranked };
  const chosen = [{ serviceId: top.serviceId, confidence, parts: [] as Segment[] }, ...extras];
  if (chosen.length > 1) for (const c of chosen) c.parts = partsAbout(r, c.serviceId);
  return { kind: 'problem', chosen, unsure: false, ranked };
}

/** Other services the multi-label model is sure of: each a problem of its own. */
function extraServices(r: Reading, th: Thresholds, topId: string, isService: (c: string) => boolean): ServiceChoice[] {
  if (r.extraWeights) {
    return extraCandidates(r, topId, isService).map((c) => ({ serviceId: c.serviceId, confidence: scoreExtra(r.extraWeights!, c.features), parts: [] as Segment[] }))
      .filter((c) => c.confidence >= th.extra).sort((a, b) => b.confidence - a.confidence).slice(0, 3);
  }
  if (!r.multi) return [];
  const out: ServiceChoice[] = [];
  r.multiClasses.forEach((id, k) => {
    if (id !== topId && isService(id) && r.multi![k]! >= th.extra) out.push({ serviceId: id, confidence: r.multi![k]!, parts: [] });
  });
  return out.sort((a, b) => b.confidence - a.confidence).slice(0, 3);
}

/** The parts of the message whose likeliest service is this one. */
function partsAbout(r: Reading, serviceId: string): Segment[] {
  return r.parts.filter((part) => r.classes[argmax(part.p)] === serviceId).map((part) => part.segment);
}

export interface Settled {
  kind: 'escalation' | 'chatter' | 'clarify';
  chosen: ServiceChoice[];
  missing: ('ward' | 'service')[];
}

/** The message's kind once the ward is known: a case needs both a ward and a service. */
export function settle(d: ServiceDecision, wardFound: boolean): Settled {
  if (d.kind === 'chatter') return { kind: 'chatter', chosen: [], missing: [] };
  const missing: ('ward' | 'service')[] = [];
  if (!wardFound) missing.push('ward');
  if (d.unsure) missing.push('service');
  return missing.length ? { kind: 'clarify', chosen: d.chosen, missing } : { kind: 'escalation', chosen: d.chosen, missing };
}
