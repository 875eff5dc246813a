import type { Catalogue } from '../../catalogue/catalogue.js';
import type { IntakeModel } from '../model/intake-model.js';
import type { TrainOptions } from '../model/softmax-regression.js';
import { trainModel, type TrainingExample } from '../model/training.js';
import type { StreetGazetteer } from '../street-gazetteer.js';
import { councilTrainingExamples, type CouncilExample } from './council-examples.js';
import { crossCompare, type Comparison } from './cross-compare.js';
import { judge, type Verdict } from './verdict.js';

export interface RetrainInput {
  /** What wardline ships: its model (thresholds, and the labeller of parts) and its examples. */
  shipped: { model: IntakeModel; examples: TrainingExample[]; classes: string[] };
  /** The council examples the model in use was trained on (none for the shipped model). */
  inUse: { version: string; council: CouncilExample[] };
  /** Every council example now. */
  council: CouncilExample[];
  catalogue: Catalogue;
  streets?: StreetGazetteer;
  version: string;
  folds?: number;
  seed?: number;
  train?: Partial<TrainOptions>;
  memo?: Map<string, IntakeModel>;
}

export type RetrainResult =
  | { kind: 'nothing_new'; council: number }
  /** `candidate` is trained on everything only when the verdict adopts it. */
  | { kind: 'compared'; candidate: IntakeModel | null; comparison: Comparison; verdict: Verdict };

const labelKey = (e: CouncilExample) => `${e.id}|${e.kind}|${e.missing.join('+')}|${e.cases.map((c) => `${c.ward}/${c.service}`).join('+')}`;

/** The council's examples are those the model in use was trained on, labels and all. */
export function sameExamples(a: CouncilExample[], b: CouncilExample[]): boolean {
  const x = a.map(labelKey).sort();
  const y = b.map(labelKey).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/**
 * Retraining: a candidate trained on the shipped examples plus every council example, compared with
 * the model in use on the same folds (crossCompare), and the verdict (judge). When it is not worse,
 * the candidate is trained on all of them, for the caller to store and put in use.
 */
export async function retrainIntakeModel(input: RetrainInput): Promise<RetrainResult> {
  if (sameExamples(input.council, input.inUse.council)) return { kind: 'nothing_new', council: input.council.length };
  const { shipped } = input;
  const folds = input.folds ?? 5;
  const seed = input.seed ?? 2026;
  const comparison = await crossCompare({
    shipped: shipped.examples, classes: shipped.classes, thresholds: shipped.model.thresholds, extraCases: shipped.model.extraCases, council: input.council,
    inUse: { council: input.inUse.council }, catalogue: input.catalogue, partModel: shipped.model, folds, seed,
    ...(input.streets ? { streets: input.streets } : {}), ...(input.train ? { train: input.train } : {}), ...(input.memo ? { memo: input.memo } : {}),
  });
  const { candidate: cand, inUse: used } = comparison;
  const own = cand.council && used.council ? { candidate: cand.council, inUse: used.council, paired: comparison.pairedCouncil } : undefined;
  const verdict = judge(cand.all, used.all, comparison.paired, own);
  if (!verdict.adopt) return { kind: 'compared', candidate: null, comparison, verdict };
  const examples = [...shipped.examples, ...councilTrainingExamples(input.council, input.catalogue, shipped.model)];
  const candidate = trainModel(examples, shipped.classes, {
    thresholds: shipped.model.thresholds, extraCases: shipped.model.extraCases, version: input.version, ...(input.train ? { train: input.train } : {}),
    trainedOn: {
      base: shipped.model.version, shippedExamples: shipped.examples.length, councilExamples: input.council.length, examples: examples.length,
      cv: { folds, seed, candidate: comparison.candidate.all, inUse: comparison.inUse.all },
    },
  });
  return { kind: 'compared', candidate, comparison, verdict };
}
