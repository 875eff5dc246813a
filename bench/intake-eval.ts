/**
 * Honest figures for the intake model. 5-fold cross-validation on the training corpus: for each
 * fold the whole training (examples, weights, and the thresholds, chosen by an inner 5-fold
 * cross-validation of the training folds only) is redone without the test fold, then the test
 * fold is read. Then the shipped model on the dev set, which is never trained or tuned on.
 * Measures as shared/eval/score.mjs; a coverage-versus-misroute curve over the abstention threshold.
 *   npx tsx bench/intake-eval.ts [--corpus PATH] [--dev PATH] [--folds 5]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { readLabelledCorpus } from '../src/intake/model/corpus.js';
import { fitIntakeModel, measure, predictAll, readCorpus, type Measures, type Prediction, type Read } from '../src/intake/model/evaluate.js';
import { loadShippedModel, type Thresholds } from '../src/intake/model/intake-model.js';
import { foldsOf } from '../src/intake/model/training.js';
import { parseMessage } from '../src/intake/parse-message.js';
import type { IntakeModel } from '../src/intake/model/intake-model.js';
type LabelledMessage = ReturnType<typeof readLabelledCorpus>[number];

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : dflt; };
const corpusPath = arg('--corpus', join(root, '..', 'shared', 'eval', 'train.jsonl'));
const devPath = arg('--dev', join(root, '..', 'shared', 'eval', 'dev.jsonl'));
const folds = Number(arg('--folds', '5'));
const catalogue = loadDefaultCatalogue();
const known = new Set(catalogue.services.map((s) => s.id as string));
const f3 = (x: number) => x.toFixed(3);
const line = (m: Measures) => `exact ${f3(m.exact)} | misroute ${f3(m.misroute)} of ${m.casesOpened} cases opened | chatter ignored ${f3(m.chatterIgnored)} | clarify asked ${f3(m.clarifyAsked)} | kind accuracy ${f3(m.kindAccuracy)}\n  expected cases: service ${f3(m.serviceHit)} | ward ${f3(m.wardHit)} (among the cases opened, as score.mjs counts)`;

if (!existsSync(corpusPath)) {
  console.log(`no corpus at ${corpusPath}; pass --corpus PATH`);
  process.exit(0);
}
const messages = readLabelledCorpus(corpusPath);
/** What `wardline parse` answers: the model, with the hand-written rules as a second opinion. */
const parsed = (m: LabelledMessage, model: IntakeModel): Prediction => {
  const r = parseMessage({ text: m.text, platform: m.platform ?? null }, { sender: { role: m.sender.role ?? null, wards: m.sender.wards ?? [] }, channelName: m.channel ?? null, catalogue, model });
  return { kind: r.kind, missing: r.missing, cases: r.cases.map((c) => ({ ward: c.ward, service: c.service, confidence: c.confidence })) };
};
const parsedPreds: Prediction[] = new Array(messages.length);
const started = Date.now();
const fold = foldsOf(messages, (m) => m.id, folds, 2026);
const preds: Prediction[] = new Array(messages.length);
const reads: Read[] = new Array(messages.length);
const chosen: Thresholds[] = [];
for (let f = 0; f < folds; f++) {
  const { model } = fitIntakeModel(messages.filter((_, i) => fold[i] !== f), catalogue, { seed: f });
  chosen.push(model.thresholds);
  const idx = messages.map((_, i) => i).filter((i) => fold[i] === f);
  const got = readCorpus(idx.map((i) => messages[i]!), model, catalogue);
  const p = predictAll(got, model.thresholds, known);
  idx.forEach((i, j) => { reads[i] = got[j]!; preds[i] = p[j]!; parsedPreds[i] = parsed(messages[i]!, model); });
}
console.log(`${folds}-fold cross-validation on ${messages.length} messages (${((Date.now() - started) / 1000).toFixed(1)} s)`);
chosen.forEach((t, f) => console.log(`  fold ${f + 1} thresholds (chosen on its training folds): chatter ${t.chatter}, abstain ${t.abstain}, extra ${t.extra}`));
console.log(`  the model alone: ${line(measure(messages, preds))}`);
console.log(`  as \`wardline parse\` reads (the model, with the rules as a second opinion): ${line(measure(messages, parsedPreds))}`);
console.log('  coverage vs misroute over the abstention threshold (other thresholds as chosen per fold):');
for (const tau of [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
  const p: Prediction[] = new Array(messages.length);
  for (let f = 0; f < folds; f++) {
    const idx = messages.map((_, i) => i).filter((i) => fold[i] === f);
    const got = predictAll(idx.map((i) => reads[i]!), { ...chosen[f]!, abstain: tau }, known);
    idx.forEach((i, j) => { p[i] = got[j]!; });
  }
  const m = measure(messages, p);
  console.log(`    abstain < ${tau.toFixed(2)}: coverage ${f3(m.coverage)} of expected cases, misroute ${f3(m.misroute)}, exact ${f3(m.exact)}, clarify asked ${f3(m.clarifyAsked)}`);
}
if (existsSync(devPath)) {
  const dev = readLabelledCorpus(devPath);
  const model = loadShippedModel();
  const m = measure(dev, predictAll(readCorpus(dev, model, catalogue), model.thresholds, known));
  console.log(`dev set, ${dev.length} messages, shipped model ${model.version} (never trained or tuned on dev):`);
  console.log(`  the model alone: ${line(m)}`);
  console.log(`  as \`wardline parse\` reads: ${line(measure(dev, dev.map((x) => parsed(x, model))))}`);
}
