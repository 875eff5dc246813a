import type { Reading } from './read-message.js';

/**
 * Whether a part of a message is a problem of its own, for a service other than the message's
 * likeliest: a small logistic regression over what the models say about that service in the part
 * and in the whole message, and over the pairwise products of those (a part sure of its service
 * counts for more when the writer set it apart as a point of its own, or when the catalogue's
 * words for the service are in it). It is trained on held-out readings (the inner cross-validation
 * of training), so it learns how far the part models can be trusted, not how they fit their own
 * data. (The words of the part itself, hashed, were tried beside these: on cross-validation they
 * found a few more problems for as many more misroutes.)
 */
export interface ExtraCandidate {
  serviceId: string;
  features: number[];
}

/** What is known of a candidate: the bias, 14 readings, and their 105 pairwise products (squares included). */
const READINGS = 14;
export const EXTRA_FEATURES = 1 + READINGS + (READINGS * (READINGS + 1)) / 2;

const logit = (p: number) => Math.max(-8, Math.min(8, Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p)))) / 4;

function argmax(p: Float64Array): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

/** Each service that is the likeliest of some part (not the top one), with what is known of it. */
export function extraCandidates(r: Reading, topId: string, isService: (c: string) => boolean): ExtraCandidate[] {
  const by = new Map<string, { best: number; bestMulti: number; n: number; items: number; local: boolean }>();
  for (const part of r.parts) {
    const k = argmax(part.p);
    const id = r.classes[k]!;
    if (id === topId || !isService(id)) continue;
    const m = r.multi && part.multi ? part.multi[r.multiClasses.indexOf(id)] ?? 0 : 0;
    const c = by.get(id) ?? { best: 0, bestMulti: 0, n: 0, items: 0, local: false };
    const { start, text } = part.segment;
    const local = c.local || r.hits.some((h) => h.phrase.serviceId === id && !h.negated && h.index >= start && h.index < start + text.length);
    by.set(id, { best: Math.max(c.best, part.p[k]!), bestMulti: Math.max(c.bestMulti, m), n: c.n + 1, items: c.items + (part.segment.item ? 1 : 0), local });
  }
  const items = r.parts.filter((p) => p.segment.item).length;
  const services = new Set(r.parts.map((p) => r.classes[argmax(p.p)]!).filter(isService));
  const topShare = r.whole[r.classes.indexOf(topId)] ?? 0;
  return [...by].map(([id, c]) => {
    const own = r.hits.filter((h) => h.phrase.serviceId === id && !h.negated);
    const whole = r.multi ? r.multi[r.multiClasses.indexOf(id)] ?? 0 : 0;
    const readings = [logit(c.best), logit(c.bestMulti), logit(whole), logit(r.whole[r.classes.indexOf(id)] ?? 0), logit(topShare),
      c.n / r.parts.length, Math.log2(r.parts.length) / 4, own.length ? 1 : 0, own.some((h) => h.phrase.explicit) ? 1 : 0,
      r.hits.some((h) => h.phrase.serviceId === id && h.negated) ? 1 : 0, (services.size - 1) / 3,
      // Structure: the writer listed it as a point of its own, how many points the message has,
      // and whether the catalogue's words for the service are in its own part.
      c.items / c.n, Math.min(items, 6) / 6, c.local ? 1 : 0];
    const features = [1, ...readings];
    for (let i = 0; i < readings.length; i++) for (let j = i; j < readings.length; j++) features.push(readings[i]! * readings[j]!);
    return { serviceId: id, features };
  });
}

export function scoreExtra(weights: number[], features: number[]): number {
  let s = 0;
  for (let i = 0; i < features.length; i++) s += (weights[i] ?? 0) * features[i]!;
  return 1 / (1 + Math.exp(-s));
}

/** Full-batch gradient descent with L2 (none on the bias): deterministic, and the problem is small (120 weights, a few hundred candidates). */
export function trainExtraCases(samples: { features: number[]; y: number }[], l2 = 1e-2, steps = 800, rate = 0.5): number[] {
  const d = samples[0]?.features.length ?? 0;
  const w = new Array<number>(d).fill(0);
  if (!samples.length) return w;
  for (let t = 0; t < steps; t++) {
    const g = new Array<number>(d).fill(0);
    for (const s of samples) {
      const e = scoreExtra(w, s.features) - s.y;
      for (let i = 0; i < d; i++) g[i]! += e * s.features[i]!;
    }
    for (let i = 0; i < d; i++) w[i]! -= rate * (g[i]! / samples.length + (i ? l2 * w[i]! : 0));
  }
  return w.map((x) => Math.round(x * 1e6) / 1e6);
}
