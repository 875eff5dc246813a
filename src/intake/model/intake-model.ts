import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { FEATURE_BITS } from './features.js';
import { decodeSortedInts, decodeWeights, encodeSortedInts, encodeWeights } from './model-codec.js';
import { makeModel, type SoftmaxModel } from './softmax-regression.js';

/** The file format; bump when features or classes change meaning, so an old file is refused, not misread. */
export const MODEL_FORMAT = 'wardline-intake-model/2';
export const CHATTER = 'chatter';
/** A problem for the council whose service cannot be settled from the message. */
export const UNCLEAR = 'unclear';
export const GATE_CLASSES = [CHATTER, 'problem'] as const;

/** Where the model's decisions turn, chosen on cross-validated predictions of the training set. */
export interface Thresholds {
  /** At or above this probability of chatter, no case. */
  chatter: number;
  /** Below this probability for its service, a case is asked about instead of opened. */
  abstain: number;
  /** A part of the message counts as its own problem at or above this probability. */
  segment: number;
  /** …and when the whole message gives that service at least this share. */
  share: number;
  /** Beside the likeliest service, another is opened as its own case at or above this multi-label probability. */
  extra: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { chatter: 0.5, abstain: 0.5, segment: 0.6, share: 0.1, extra: 0.5 };

export interface IntakeModel {
  format: typeof MODEL_FORMAT;
  /** e.g. "2026-12-03.1": which training made it. */
  version: string;
  featureBits: number;
  thresholds: Thresholds;
  softmax: SoftmaxModel;
  /** Chatter or a problem: a two-class model of its own, sharper than the chatter class among services. */
  gate: SoftmaxModel | null;
  /** Which services a message is about, each on its own (sigmoids): finds the second and third problem of a message. */
  multi: SoftmaxModel | null;
  /** Weights of the decision whether a part is a problem of its own (extra-cases.ts). */
  extraCases: number[] | null;
  /** How it was trained, for the record: corpus size, options, cross-validated figures. */
  trainedOn: Record<string, unknown>;
}

const fileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.string().min(1),
  featureBits: z.number().int(),
  classes: z.array(z.string()).min(2),
  thresholds: z.object({ chatter: z.number(), abstain: z.number(), segment: z.number(), share: z.number(), extra: z.number() }),
  buckets: z.string(),
  weights: z.object({ scale: z.number().positive(), data: z.string() }),
  gate: z.object({ buckets: z.string(), weights: z.object({ scale: z.number().positive(), data: z.string() }) }).nullish(),
  extraCases: z.array(z.number()).nullish(),
  multi: z.object({ classes: z.array(z.string()), buckets: z.string(), weights: z.object({ scale: z.number().positive(), data: z.string() }) }).nullish(),
  trainedOn: z.record(z.string(), z.unknown()).default({}),
});

export function serialiseModel(m: IntakeModel): string {
  return `${JSON.stringify({
    format: m.format, version: m.version, featureBits: m.featureBits, classes: m.softmax.classes, thresholds: m.thresholds,
    trainedOn: m.trainedOn, buckets: encodeSortedInts(m.softmax.buckets), weights: encodeWeights(m.softmax.weights),
    gate: m.gate ? { buckets: encodeSortedInts(m.gate.buckets), weights: encodeWeights(m.gate.weights) } : null,
    extraCases: m.extraCases,
    multi: m.multi ? { classes: m.multi.classes, buckets: encodeSortedInts(m.multi.buckets), weights: encodeWeights(m.multi.weights) } : null,
  }, null, 1)}\n`;
}

export function deserialiseModel(text: string): IntakeModel {
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch (e) {
    throw new AppError('catalogue.invalid', `The intake model is not a ${MODEL_FORMAT} file; train it again with npm run train:intake.`, { cause: e });
  }
  if (parsed.featureBits !== FEATURE_BITS) throw new AppError('catalogue.invalid', `The intake model was trained with ${parsed.featureBits}-bit features, this wardline uses ${FEATURE_BITS}; train it again.`);
  const buckets = Uint32Array.from(decodeSortedInts(parsed.buckets));
  const weights = decodeWeights(parsed.weights);
  if (weights.length !== buckets.length * parsed.classes.length) throw new AppError('catalogue.invalid', 'The intake model file is damaged (weights and features disagree); train it again.');
  let gate: SoftmaxModel | null = null;
  if (parsed.gate) {
    const gb = Uint32Array.from(decodeSortedInts(parsed.gate.buckets));
    const gw = decodeWeights(parsed.gate.weights);
    if (gw.length !== gb.length * GATE_CLASSES.length) throw new AppError('catalogue.invalid', 'The intake model file is damaged (gate weights and features disagree); train it again.');
    gate = makeModel([...GATE_CLASSES], gb, gw);
  }
  let multi: SoftmaxModel | null = null;
  if (parsed.multi) {
    const mb = Uint32Array.from(decodeSortedInts(parsed.multi.buckets));
    const mw = decodeWeights(parsed.multi.weights);
    if (mw.length !== mb.length * parsed.multi.classes.length) throw new AppError('catalogue.invalid', 'The intake model file is damaged (multi-label weights and features disagree); train it again.');
    multi = makeModel(parsed.multi.classes, mb, mw);
  }
  return {
    format: MODEL_FORMAT, version: parsed.version, featureBits: parsed.featureBits, thresholds: parsed.thresholds,
    softmax: makeModel(parsed.classes, buckets, weights), gate, multi, extraCases: parsed.extraCases ?? null, trainedOn: parsed.trainedOn,
  };
}

export const SHIPPED_MODEL_URL = new URL('./intake-model.json', import.meta.url);
let shipped: IntakeModel | null = null;

/** A file `npm run train:intake` writes beside this module (the model, its examples); missing, it says how to make it. */
export function readTrainedFile(url: URL, what: string): string {
  try {
    return readFileSync(url, 'utf8');
  } catch (e) {
    throw new AppError('catalogue.invalid', `The intake ${what} file src/intake/model/${url.pathname.split('/').pop()} is missing; run npm run train:intake.`, { cause: e });
  }
}

/** The model committed with wardline, read once. */
export function loadShippedModel(): IntakeModel {
  shipped ??= deserialiseModel(readTrainedFile(SHIPPED_MODEL_URL, 'model'));
  return shipped;
}
