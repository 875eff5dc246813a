/**
 * Trains the intake model: npm run train:intake -- [--corpus PATH] [--extra PATH] [--seed N]
 * Reads the labelled corpus (default ../shared/eval/train.jsonl beside the repo) plus the
 * messages written for wardline (src/intake/model/extra-messages.jsonl), and writes the model
 * (src/intake/model/intake-model.json) and the training examples as hashed features with their
 * labels, never their text (src/intake/model/intake-examples.json). Deterministic for one seed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { readLabelledCorpus } from '../src/intake/model/corpus.js';
import { fitIntakeModel } from '../src/intake/model/evaluate.js';
import { serialiseExamples } from '../src/intake/model/examples-file.js';
import { serialiseModel } from '../src/intake/model/intake-model.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : dflt; };
const corpusPath = arg('--corpus', join(root, '..', 'shared', 'eval', 'train.jsonl'));
const extraPath = arg('--extra', join(root, 'src', 'intake', 'model', 'extra-messages.jsonl'));
const seed = Number(arg('--seed', '7'));
const version = arg('--version', `${new Date().toISOString().slice(0, 10)}.1`);

if (!existsSync(corpusPath)) {
  console.error(`No labelled corpus at ${corpusPath}; pass --corpus PATH.`);
  process.exit(1);
}
const catalogue = loadDefaultCatalogue();
const messages = [...readLabelledCorpus(corpusPath), ...(existsSync(extraPath) ? readLabelledCorpus(extraPath) : [])];
const { model, examples } = fitIntakeModel(messages, catalogue, { seed, version, trainedOn: { seed } });
const dir = join(root, 'src', 'intake', 'model');
writeFileSync(join(dir, 'intake-model.json'), serialiseModel(model));
writeFileSync(join(dir, 'intake-examples.json'), serialiseExamples(examples, model.softmax.classes));
console.log(`trained ${model.version} on ${messages.length} messages (${examples.length} examples, ${model.softmax.buckets.length} features); thresholds ${JSON.stringify(model.thresholds)}`);
