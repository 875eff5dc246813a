import { makeModel, ordinaryScale, seededRandom, shuffled, DEFAULT_TRAIN_OPTIONS, WHOLE, type SoftmaxModel, type TrainOptions } from './softmax-regression.js';

/**
 * Multi-label logistic regression (one sigmoid per class, L2) over sparse binary features, trained
 * by seeded AdaGrad SGD like the softmax: "is this service among the message's problems?" for each
 * service at once, so a message about potholes and missed bins can say yes to both. The weights
 * share the softmax's layout (and file encoding).
 */
export interface MultiExample {
  x: number[];
  /** Indices of the classes that hold for the example (none: it holds for no class). */
  ys: number[];
  w: number;
}

export function trainMultiLabel(examples: MultiExample[], classes: string[], opts: Partial<TrainOptions> = {}): SoftmaxModel {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...opts };
  const K = classes.length;
  const counts = new Map<number, number>();
  for (const e of examples) for (const b of e.x) counts.set(b, (counts.get(b) ?? 0) + 1);
  const buckets = Uint32Array.from([...counts].filter(([, n]) => n >= o.minCount).map(([b]) => b).sort((a, b) => a - b));
  const model = makeModel(classes, buckets, new Float32Array(buckets.length * K));
  const W = new Float64Array(buckets.length * K);
  const G = new Float64Array(buckets.length * K).fill(1e-8);
  const rows = examples.map((e) => e.x.map((b) => model.rowOf.get(b)).filter((r): r is number => r !== undefined));
  const random = seededRandom(o.seed);
  const order = examples.map((_, i) => i);
  const g = new Float64Array(K);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const r = rows[i]!;
      const e = examples[i]!;
      const v = ordinaryScale(e.x);
      const f = r.map((row) => (buckets[row]! >= WHOLE ? 1 : v));
      g.fill(0);
      r.forEach((row, j) => { for (let k = 0; k < K; k++) g[k]! += W[row * K + k]! * f[j]!; });
      for (let k = 0; k < K; k++) g[k] = (1 / (1 + Math.exp(-g[k]!)) - (e.ys.includes(k) ? 1 : 0)) * e.w;
      r.forEach((row, j) => {
        const base = row * K;
        for (let k = 0; k < K; k++) {
          const d = g[k]! * f[j]! + o.l2 * W[base + k]!;
          G[base + k]! += d * d;
          W[base + k]! -= (o.learningRate * d) / Math.sqrt(G[base + k]!);
        }
      });
    }
  }
  model.weights.set(W);
  return model;
}

/** The probability of each class, independently. */
export function predictMultiLabel(model: SoftmaxModel, x: number[]): Float64Array {
  const K = model.classes.length;
  const v = ordinaryScale(x);
  const p = new Float64Array(K);
  for (let i = 0; i < x.length; i++) {
    const r = model.rowOf.get(x[i]!);
    if (r === undefined) continue;
    const f = x[i]! >= WHOLE ? 1 : v;
    for (let k = 0; k < K; k++) p[k]! += model.weights[r * K + k]! * f;
  }
  for (let k = 0; k < K; k++) p[k] = 1 / (1 + Math.exp(-p[k]!));
  return p;
}
