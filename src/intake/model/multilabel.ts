import { beginTraining, ordinaryScale, WHOLE, type SoftmaxModel, type TrainOptions } from './softmax-regression.js';

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
  const t = beginTraining(examples, classes, opts);
  const g = new Float64Array(t.K);
  for (const i of t.visits()) {
    const r = t.rows[i]!;
    const e = examples[i]!;
    const v = ordinaryScale(e.x);
    const f = r.map((row) => (t.model.buckets[row]! >= WHOLE ? 1 : v));
    g.fill(0);
    r.forEach((row, j) => { for (let k = 0; k < t.K; k++) g[k]! += t.W[row * t.K + k]! * f[j]!; });
    for (let k = 0; k < t.K; k++) g[k] = (1 / (1 + Math.exp(-g[k]!)) - (e.ys.includes(k) ? 1 : 0)) * e.w;
    r.forEach((row, j) => t.step(row, f[j]!, g));
  }
  return t.finish();
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
