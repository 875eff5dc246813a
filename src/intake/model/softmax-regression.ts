/**
 * Multinomial logistic regression (softmax, L2) over sparse binary features, trained by seeded
 * AdaGrad SGD: the same examples, options and seed always give the same weights. An example's
 * ordinary features count 1/sqrt(n), so long and short messages weigh alike; features at or above
 * WHOLE (the bias, the length, the channel, the cues) count 1 each: scaled, a bias grows as a
 * message gets shorter and the model reads "short" as "chatter".
 */
export const WHOLE = 0x100000;

/** How much an example's ordinary features count (x sorted: the whole ones come last). */
export function ordinaryScale(x: ArrayLike<number>): number {
  let n = 0;
  while (n < x.length && x[n]! < WHOLE) n++;
  return 1 / Math.sqrt(Math.max(1, n));
}
export interface Example {
  /** Hashed feature buckets, sorted, unique. */
  x: number[];
  /** Index into the classes. */
  y: number;
  /** How much the example counts (a message with two cases gives two examples of weight ½). */
  w: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Buckets seen in fewer examples are left out of the model. */
  minCount: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 60, learningRate: 0.8, l2: 1e-5, seed: 13, minCount: 2 };

export interface SoftmaxModel {
  classes: string[];
  /** Sorted buckets that carry weights; row i of `weights` belongs to buckets[i]. */
  buckets: Uint32Array;
  /** buckets.length × classes.length, row-major. */
  weights: Float32Array;
  rowOf: Map<number, number>;
}

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function vocabulary(examples: { x: number[] }[], minCount: number): Uint32Array {
  const counts = new Map<number, number>();
  for (const e of examples) for (const b of e.x) counts.set(b, (counts.get(b) ?? 0) + 1);
  return Uint32Array.from([...counts].filter(([, n]) => n >= minCount).map(([b]) => b).sort((a, b) => a - b));
}

export function makeModel(classes: string[], buckets: Uint32Array, weights: Float32Array): SoftmaxModel {
  return { classes, buckets, weights, rowOf: new Map(Array.from(buckets, (b, i) => [b, i])) };
}

/**
 * What both trainers share (this softmax and the multi-label one): the vocabulary, the model to
 * fill, AdaGrad's weights and squared-gradient sums, each example's rows, and the seeded order in
 * which every epoch visits the examples.
 */
export function beginTraining<E extends { x: number[] }>(examples: E[], classes: string[], opts: Partial<TrainOptions>) {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...opts };
  const K = classes.length;
  const buckets = vocabulary(examples, o.minCount);
  const model = makeModel(classes, buckets, new Float32Array(buckets.length * K));
  const W = new Float64Array(buckets.length * K);
  const G = new Float64Array(buckets.length * K).fill(1e-8);
  const rows = examples.map((e) => e.x.map((b) => model.rowOf.get(b)).filter((r): r is number => r !== undefined));
  const random = seededRandom(o.seed);
  const order = examples.map((_, i) => i);
  function* visits(): Generator<number> {
    for (let epoch = 0; epoch < o.epochs; epoch++) yield* shuffled(order, random);
  }
  /** One AdaGrad step on a row whose feature value is `f`, given each class's residual. */
  const step = (row: number, f: number, residual: Float64Array) => {
    const base = row * K;
    for (let k = 0; k < K; k++) {
      const g = residual[k]! * f + o.l2 * W[base + k]!;
      G[base + k]! += g * g;
      W[base + k]! -= (o.learningRate * g) / Math.sqrt(G[base + k]!);
    }
  };
  const finish = () => { model.weights.set(W); return model; };
  return { K, model, W, rows, visits, step, finish };
}

export function trainSoftmax(examples: Example[], classes: string[], opts: Partial<TrainOptions> = {}): SoftmaxModel {
  const t = beginTraining(examples, classes, opts);
  const p = new Float64Array(t.K);
  for (const i of t.visits()) {
    const r = t.rows[i]!;
    const e = examples[i]!;
    const v = ordinaryScale(e.x);
    scoresInto(t.W, r, v, t.K, p, t.model.buckets);
    softmaxInPlace(p);
    for (let k = 0; k < t.K; k++) p[k] = (p[k]! - (k === e.y ? 1 : 0)) * e.w;
    for (const row of r) t.step(row, t.model.buckets[row]! >= WHOLE ? 1 : v, p);
  }
  return t.finish();
}

function scoresInto(W: ArrayLike<number>, rows: number[], v: number, K: number, out: Float64Array, buckets: Uint32Array): void {
  out.fill(0);
  for (const row of rows) {
    const base = row * K;
    const f = buckets[row]! >= WHOLE ? 1 : v;
    for (let k = 0; k < K; k++) out[k]! += W[base + k]! * f;
  }
}

function softmaxInPlace(p: Float64Array): void {
  let max = -Infinity;
  for (const s of p) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < p.length; k++) { p[k] = Math.exp(p[k]! - max); sum += p[k]!; }
  for (let k = 0; k < p.length; k++) p[k]! /= sum;
}

/** The probability of each class for one example's features. */
export function predictProba(model: SoftmaxModel, x: number[]): Float64Array {
  const K = model.classes.length;
  const W = model.weights;
  const v = ordinaryScale(x);
  const p = new Float64Array(K);
  for (let i = 0; i < x.length; i++) {
    const r = model.rowOf.get(x[i]!);
    if (r === undefined) continue;
    const base = r * K;
    const f = x[i]! >= WHOLE ? 1 : v;
    for (let k = 0; k < K; k++) p[k]! += W[base + k]! * f;
  }
  softmaxInPlace(p);
  return p;
}
