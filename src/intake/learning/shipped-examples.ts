import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import { deserialiseExamples } from '../model/examples-file.js';
import type { TrainingExample } from '../model/training.js';

const SHIPPED_EXAMPLES_URL = new URL('../model/intake-examples.json', import.meta.url);
let shipped: { classes: string[]; examples: TrainingExample[] } | null = null;

/** The training examples committed with wardline (hashed features and labels), read once. */
export function loadShippedExamples(): { classes: string[]; examples: TrainingExample[] } {
  if (!shipped) {
    let text: string;
    try {
      text = readFileSync(SHIPPED_EXAMPLES_URL, 'utf8');
    } catch (e) {
      throw new AppError('catalogue.invalid', 'The intake examples file src/intake/model/intake-examples.json is missing; run npm run train:intake.', { cause: e });
    }
    shipped = deserialiseExamples(text);
  }
  return shipped;
}
