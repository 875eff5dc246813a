import type { Reading } from './read-message.js';

/**
 * Whether a part of a message is a problem of its own, for a service other than the message's
 * likeliest: a small logistic regression over what the models say about that service in the part
 * and in the whole message. It is trained on held-out readings (the inner cross-validation of
 * training), so it learns how far the part models can be trusted, not how they fit their own data.
 */
export interface ExtraCandidate {
  serviceId: string;
  features: number[];
}

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
    return {
      serviceId: id,
      features: [1, logit(c.best), logit(c.bestMulti), logit(whole), logit(r.whole[r.classes.indexOf(id)] ?? 0), logit(topShare),
        c.n / r.parts.length, Math.log2(r.parts.length) / 4, own.length ? 1 : 0, own.some((h) => h.phrase.explicit) ? 1 : 0,
        r.hits.some((h) => h.phrase.serviceId === id && h.negated) ? 1 : 0, (services.size - 1) / 3,
        // Structure: the writer listed it as a point of its own, how many points the message has,
        // and whether the catalogue's words for the service are in its own part.
        c.items / c.n, Math.min(items, 6) / 6, c.local ? 1 : 0],
    };
  });
}

export function scoreExtra(weights: number[], features: number[]): number {
  let s = 0;
  for (let i = 0; i < features.length; i++) s += (weights[i] ?? 0) * features[i]!;
  return 1 / (1 + Math.exp(-s));
}

/** Full-batch gradient descent with L2: deterministic, and the problem is small (a dozen weights). */
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
