import { MISROUTE_COST, type Measures, type Prediction } from '../model/evaluate.js';
import type { LabelledMessage } from '../model/training.js';

/** The agreed measures (bench:intake-eval, shared/eval/score.mjs). */
export const MEASURES = ['exact', 'misroute', 'chatterIgnored', 'clarifyAsked'] as const;
export type MeasureName = (typeof MEASURES)[number];
export const MEASURE_LABELS: Record<MeasureName, string> = {
  exact: 'exact ward+service', misroute: 'misroute', chatterIgnored: 'chatter ignored', clarifyAsked: 'clarify asked',
};

/** One held-out message's part in each measure: right or wrong where it counts, wrong cases opened. */
export interface Outcome {
  exact: boolean | null;
  chatterIgnored: boolean | null;
  clarifyAsked: boolean | null;
  wrongCases: number;
}

/** The per-message terms of `measure` (evaluate.ts), so two models can be compared message by message. */
export function outcomeOf(m: LabelledMessage, p: Prediction): Outcome {
  const e = m.expected;
  const key = (c: { ward?: string; service: string }) => `${c.ward}|${c.service}`;
  const want = new Set(e.cases.map(key));
  const got = new Set(p.cases.map(key));
  const wrongCases = e.kind === 'escalation' ? p.cases.filter((c) => !want.has(key(c))).length : p.cases.length;
  return {
    exact: e.kind === 'escalation' ? p.kind === 'escalation' && want.size === got.size && [...want].every((k) => got.has(k)) : null,
    chatterIgnored: e.kind === 'chatter' ? p.kind === 'chatter' : null,
    clarifyAsked: e.kind === 'clarify' ? p.kind === 'clarify' : null,
    wrongCases,
  };
}

/** Messages where the candidate did better, and where it did worse, than the model in use. */
export type Paired = Record<MeasureName, { better: number; worse: number }>;

export function pairOutcomes(candidate: Outcome[], inUse: Outcome[]): Paired {
  const out = Object.fromEntries(MEASURES.map((k) => [k, { better: 0, worse: 0 }])) as Paired;
  candidate.forEach((c, i) => {
    const u = inUse[i]!;
    for (const k of ['exact', 'chatterIgnored', 'clarifyAsked'] as const) {
      if (c[k] === null || c[k] === u[k]) continue;
      if (c[k]) out[k].better++;
      else out[k].worse++;
    }
    if (c.wrongCases < u.wrongCases) out.misroute.better++;
    if (c.wrongCases > u.wrongCases) out.misroute.worse++;
  });
  return out;
}

export interface Check {
  measure: MeasureName;
  candidate: number;
  inUse: number;
  better: number;
  worse: number;
  /** How many more worse than better messages the rule allows. */
  allowed: number;
  ok: boolean;
}

export interface Verdict {
  adopt: boolean;
  /** exact + chatter ignored + clarify asked − MISROUTE_COST × misroute, as train:intake chooses thresholds by. */
  score: { candidate: number; inUse: number; ok: boolean };
  checks: Check[];
  /** Exact ward+service on this council's own held-out messages (null when none were held out). */
  council: Check | null;
}

export const scoreOf = (m: Measures) => m.exact + m.chatterIgnored + m.clarifyAsked - MISROUTE_COST * m.misroute;

/**
 * "Not worse", precisely, over the held-out messages of every fold:
 * 1. its score is at least the model in use's: exact + chatter ignored + clarify asked
 *    − MISROUTE_COST (5) × misroute, the trade train:intake chooses thresholds by; and
 * 2. it is clearly worse on no measure: the messages it gets wrong that the model in use got right
 *    (for misroute: where it opens more wrong cases) outnumber the reverse by at most
 *    2·√(both together) — a one-sided sign test at two standard deviations, so retraining noise
 *    (a few messages either way) passes and a real loss on one measure does not; and
 * 3. it reads this council's own held-out messages no worse: exact ward+service on them, by the same
 *    sign test. A candidate trained on the council's examples that reproduces fewer of them than the
 *    model in use has learnt labels that contradict each other (mistaken corrections), however much
 *    its extra questions lower the misroutes counted against those same labels.
 */
export function judge(candidate: Measures, inUse: Measures, paired: Paired, own?: { candidate: Measures; inUse: Measures; paired: Paired }): Verdict {
  const check = (measure: MeasureName, c: Measures, u: Measures, { better, worse }: { better: number; worse: number }): Check => {
    const allowed = Math.floor(2 * Math.sqrt(better + worse));
    return { measure, candidate: c[measure], inUse: u[measure], better, worse, allowed, ok: worse - better <= allowed };
  };
  const checks = MEASURES.map((measure) => check(measure, candidate, inUse, paired[measure]));
  const council = own && own.candidate.n > 0 ? check('exact', own.candidate, own.inUse, own.paired.exact) : null;
  const score = { candidate: scoreOf(candidate), inUse: scoreOf(inUse), ok: scoreOf(candidate) >= scoreOf(inUse) - 1e-12 };
  return { adopt: score.ok && checks.every((c) => c.ok) && (council?.ok ?? true), score, checks, council };
}
