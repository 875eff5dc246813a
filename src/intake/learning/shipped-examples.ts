import { deserialiseExamples } from '../model/examples-file.js';
import { readTrainedFile } from '../model/intake-model.js';
import type { TrainingExample } from '../model/training.js';

const SHIPPED_EXAMPLES_URL = new URL('../model/intake-examples.json', import.meta.url);
let shipped: { classes: string[]; examples: TrainingExample[] } | null = null;

/** The training examples committed with wardline (hashed features and labels), read once. */
export function loadShippedExamples(): { classes: string[]; examples: TrainingExample[] } {
  shipped ??= deserialiseExamples(readTrainedFile(SHIPPED_EXAMPLES_URL, 'examples'));
  return shipped;
}
