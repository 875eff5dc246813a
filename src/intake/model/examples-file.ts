import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { FEATURE_BITS } from './features.js';
import { decodeSortedInts, encodeSortedInts } from './model-codec.js';
import type { TrainingExample } from './training.js';

/**
 * The shipped training examples: hashed features and labels, never the text, so that a council
 * can retrain on them plus its own corrections (`trainModel([...shipped, ...theirs], classes)`).
 */
export const EXAMPLES_FORMAT = 'wardline-intake-examples/2';
const SOURCES = ['message', 'part', 'guess'] as const;

const fileSchema = z.object({
  format: z.literal(EXAMPLES_FORMAT),
  featureBits: z.literal(FEATURE_BITS),
  classes: z.array(z.string()),
  /** [class index, weight, source index, group, base64 delta-varint buckets] */
  examples: z.array(z.tuple([z.number().int(), z.number(), z.number().int(), z.number().int(), z.string()])),
});

export function serialiseExamples(examples: TrainingExample[], classes: string[]): string {
  const rows = examples.map((e) => JSON.stringify([classes.indexOf(e.label), Math.round(e.weight * 1e4) / 1e4, SOURCES.indexOf(e.source), e.group, encodeSortedInts(e.x)]));
  return `{"format":${JSON.stringify(EXAMPLES_FORMAT)},"featureBits":${FEATURE_BITS},"classes":${JSON.stringify(classes)},"examples":[\n${rows.join(',\n')}\n]}\n`;
}

export function deserialiseExamples(text: string): { classes: string[]; examples: TrainingExample[] } {
  let f: z.infer<typeof fileSchema>;
  try {
    f = fileSchema.parse(JSON.parse(text));
  } catch (e) {
    throw new AppError('catalogue.invalid', `The intake examples are not a ${EXAMPLES_FORMAT} file with ${FEATURE_BITS}-bit features.`, { cause: e });
  }
  return {
    classes: f.classes,
    examples: f.examples.map(([y, weight, source, group, x]) => ({ label: f.classes[y] ?? '', weight, source: SOURCES[source] ?? 'message', group, x: decodeSortedInts(x) })),
  };
}
