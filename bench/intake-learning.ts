/**
 * Does wardline learn from a council's corrections? Part of train.jsonl is held out as "this
 * council's messages" (never trained on); a growing share of the rest is fed as the council's own
 * labelled examples (as corrections and answers to questions would give them), and after each step
 * `intake retrain`'s logic runs: a candidate cross-validated against the model in use, adopted only
 * when not worse. Printed after each step: the held-out figures of the model in use.
 * The "shipped" base is the shipped examples without any train.jsonl message (the messages wardline
 * writes itself and the catalogue's sentences), so nothing held out is ever learnt; its thresholds
 * are the shipped model's.
 *   npx tsx bench/intake-learning.ts [--corpus PATH] [--test-share 0.3] [--folds 5] [--steps 0,10,25,50,100]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import type { CouncilExample } from '../src/intake/learning/council-examples.js';
import { retrainIntakeModel } from '../src/intake/learning/retrain.js';
import { loadShippedExamples } from '../src/intake/learning/shipped-examples.js';
import { scoreOf } from '../src/intake/learning/verdict.js';
import { readLabelledCorpus } from '../src/intake/model/corpus.js';
import { measure, predictAll, readCorpus, type Measures } from '../src/intake/model/evaluate.js';
import { hashFeature } from '../src/intake/model/features.js';
import { loadShippedModel, type IntakeModel } from '../src/intake/model/intake-model.js';
import { seededRandom, shuffled } from '../src/intake/model/softmax-regression.js';
import { trainModel, type LabelledMessage } from '../src/intake/model/training.js';
import { normaliseText } from '../src/intake/normalise.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : dflt; };
const corpusPath = arg('--corpus', join(root, '..', 'shared', 'eval', 'train.jsonl'));
const testShare = Number(arg('--test-share', '0.3'));
const folds = Number(arg('--folds', '5'));
const steps = arg('--steps', '0,10,25,50,100').split(',').map(Number);
if (!existsSync(corpusPath)) {
  console.log(`no corpus at ${corpusPath}; pass --corpus PATH`);
  process.exit(0);
}
const catalogue = loadDefaultCatalogue();
const known = new Set(catalogue.services.map((s) => s.id as string));
const corpus = readLabelledCorpus(corpusPath);
const order = shuffled(corpus, seededRandom(2027));
const test = order.slice(0, Math.round(corpus.length * testShare));
const pool = order.slice(test.length);

// The base: shipped examples of no train.jsonl message (grouped by hashed message id, as shipped).
const corpusGroups = new Set(corpus.map((m) => hashFeature(`group:${m.id}`)));
const { classes, examples } = loadShippedExamples();
const base = examples.filter((e) => !corpusGroups.has(e.group));
const { thresholds, extraCases } = loadShippedModel();
const started = performance.now();
const baseModel = trainModel(base, classes, { thresholds, extraCases, version: 'base' });

const asExample = (m: LabelledMessage, i: number): CouncilExample => ({
  id: i + 1, text: normaliseText(m.text), platform: m.platform ?? null, channelName: m.channel ?? null, senderRole: m.sender.role ?? null,
  senderWards: m.sender.wards, kind: m.expected.kind, missing: m.expected.missing as CouncilExample['missing'],
  cases: m.expected.cases.map((c) => ({ ward: c.ward ?? null, service: c.service })),
});
const f3 = (x: number) => x.toFixed(3);
const heldOut = (model: IntakeModel): Measures => measure(test, predictAll(readCorpus(test, model, catalogue), model.thresholds, known));
const line = (m: Measures) => `exact ${f3(m.exact)}  misroute ${f3(m.misroute)} (${String(m.casesOpened).padStart(3)} opened)  chatter ignored ${f3(m.chatterIgnored)}  clarify asked ${f3(m.clarifyAsked)}  score ${f3(scoreOf(m))}`;

console.log(`${corpus.length} messages: ${test.length} held out as this council's messages, ${pool.length} to feed as its corrections; base: ${base.length} shipped examples of no train.jsonl message; ${folds}-fold comparison per retrain`);
let inUse = { model: baseModel, council: [] as CouncilExample[] };
const memo = new Map<string, IntakeModel>();
const curve: string[] = [];
for (const pct of steps) {
  const council = pool.slice(0, Math.round((pool.length * pct) / 100)).map(asExample);
  const t = performance.now();
  const r = await retrainIntakeModel({
    shipped: { model: baseModel, examples: base, classes }, inUse: { version: 'in use', council: inUse.council }, council, catalogue,
    version: `step-${pct}`, folds, seed: 2026, memo,
  });
  let verdict = 'nothing new';
  if (r.kind === 'compared') {
    const cv = `cross-validated score ${f3(r.verdict.score.candidate)} vs ${f3(r.verdict.score.inUse)}`;
    verdict = r.verdict.adopt ? `adopted (${cv})` : `refused (${cv}; ${r.verdict.checks.filter((c) => !c.ok).map((c) => c.measure).join(', ') || 'score'})`;
    if (r.candidate) inUse = { model: r.candidate, council };
  }
  const secs = ((performance.now() - t) / 1000).toFixed(1);
  const m = heldOut(inUse.model);
  const row = `${String(pct).padStart(3)} % (${String(council.length).padStart(3)} council examples): ${verdict}, ${secs} s; model in use on the held-out messages: ${line(m)}`;
  console.log(row);
  curve.push(`${pct}%:${f3(m.exact)}`);
}
console.log(`curve (exact ward+service on the ${test.length} held-out messages): ${curve.join('  ')}`);
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
