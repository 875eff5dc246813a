import type { Catalogue } from '../../catalogue/catalogue.js';
import { hashFeature } from '../model/features.js';
import { measure, type Measures, type Prediction } from '../model/evaluate.js';
import type { IntakeModel, Thresholds } from '../model/intake-model.js';
import type { TrainOptions } from '../model/softmax-regression.js';
import { trainModel, type TrainingExample } from '../model/training.js';
import type { StreetGazetteer } from '../street-gazetteer.js';
import { asLabelledMessage, councilTrainingExamples, type CouncilExample } from './council-examples.js';
import { expectedOf, predictItem, shippedItems, type HeldOutItem } from './held-out-items.js';
import { outcomeOf, pairOutcomes, type Paired } from './verdict.js';

/** What a model is trained on besides the shipped examples: the council's examples it had. */
export interface Recipe {
  council: CouncilExample[];
}

export interface CompareInput {
  shipped: TrainingExample[];
  classes: string[];
  /** Both models decide with these (the shipped model's, chosen by train:intake). */
  thresholds: Thresholds;
  /** Both models decide on several problems with these weights (the shipped model's: examples alone cannot retrain them). */
  extraCases: number[] | null;
  /** Every council example now: the candidate's training and the council's held-out messages. */
  council: CouncilExample[];
  inUse: Recipe;
  catalogue: Catalogue;
  streets?: StreetGazetteer;
  /** Labels the parts of the council's several-problem messages (the shipped model). */
  partModel: IntakeModel;
  folds: number;
  seed: number;
  train?: Partial<TrainOptions>;
  /** Models already trained in this process, by recipe and fold (the bench reuses them). */
  memo?: Map<string, IntakeModel>;
}

/** Held-out figures: all messages, the council's own, and the shipped ones. */
export interface Figures {
  all: Measures;
  council: Measures | null;
  shipped: Measures;
}

export interface Comparison {
  folds: number;
  seed: number;
  heldOut: { shipped: number; council: number };
  candidate: Figures;
  inUse: Figures;
  /** Message by message: where the candidate did better or worse than the model in use. */
  paired: Paired;
  /** The same, over this council's held-out messages only. */
  pairedCouncil: Paired;
}

/**
 * Which fold a message is in: a seeded hash of its shipped group or council example id, so a
 * message stays in its fold as the council's examples grow, and both models meet the same folds.
 */
export const foldOfShipped = (group: number, folds: number, seed: number) => hashFeature(`fold:${seed}:s:${group}`) % folds;
export const foldOfCouncil = (id: number, folds: number, seed: number) => hashFeature(`fold:${seed}:c:${id}`) % folds;

function recipeKey(council: CouncilExample[], fold: number, n: number, seed: number): string {
  return `${n}/${seed}/${fold}|${council.map((e) => `${e.id}:${e.kind}:${e.missing.join('+')}:${e.cases.map((c) => `${c.ward}/${c.service}`).join('+')}`).join(',')}`;
}

function foldModel(input: CompareInput, recipe: Recipe, fold: number): IntakeModel {
  const { folds, seed } = input;
  const council = recipe.council.filter((e) => foldOfCouncil(e.id, folds, seed) !== fold);
  const key = recipeKey(council, fold, folds, seed);
  const hit = input.memo?.get(key);
  if (hit) return hit;
  const examples = [
    ...input.shipped.filter((e) => foldOfShipped(e.group, folds, seed) !== fold),
    ...councilTrainingExamples(council, input.catalogue, input.partModel),
  ];
  const model = trainModel(examples, input.classes, { thresholds: input.thresholds, extraCases: input.extraCases, ...(input.train ? { train: input.train } : {}) });
  input.memo?.set(key, model);
  return model;
}

/** Each training takes seconds: between them the process answers its other work (HTTP, queue locks). */
const breather = () => new Promise<void>((resolve) => setImmediate(resolve));

function figuresOf(items: HeldOutItem[], preds: Prediction[]): Figures {
  const pick = (k: HeldOutItem['kind']) => {
    const idx = items.map((it, i) => (it.kind === k ? i : -1)).filter((i) => i >= 0);
    return idx.length ? measure(idx.map((i) => expectedOf(items[i]!)), idx.map((i) => preds[i]!)) : null;
  };
  return { all: measure(items.map(expectedOf), preds), council: pick('council'), shipped: pick('shipped') ?? measure([], []) };
}

/**
 * Cross-validates the candidate (shipped examples + every council example) and the model in use
 * (shipped + the council examples it was trained on) on the same folds: for each fold both are
 * trained without it and read its messages, shipped and the council's. CPU-bound for seconds per
 * training; it lets the event loop run between trainings.
 */
export async function crossCompare(input: CompareInput): Promise<Comparison> {
  const { folds, seed } = input;
  // Without a memo of its own the model in use would be trained again when its recipe is the candidate's.
  if (!input.memo) input = { ...input, memo: new Map() };
  const known = new Set(input.catalogue.services.map((s) => s.id as string));
  const shipped = [...shippedItems(input.shipped).values()];
  const items: HeldOutItem[] = [];
  const cand: Prediction[] = [];
  const used: Prediction[] = [];
  for (let f = 0; f < folds; f++) {
    const test: HeldOutItem[] = [
      ...shipped.filter((it) => foldOfShipped(it.group, folds, seed) === f),
      ...input.council.filter((e) => foldOfCouncil(e.id, folds, seed) === f).map((e) => ({ kind: 'council' as const, message: asLabelledMessage(e) })),
    ];
    const c = foldModel(input, { council: input.council }, f);
    await breather();
    const u = foldModel(input, input.inUse, f);
    await breather();
    for (const it of test) {
      items.push(it);
      cand.push(predictItem(it, c, input.catalogue, known, input.streets));
      used.push(predictItem(it, u, input.catalogue, known, input.streets));
    }
  }
  const council = items.filter((it) => it.kind === 'council').length;
  const outcomes = (preds: Prediction[]) => items.map((it, i) => outcomeOf(expectedOf(it), preds[i]!));
  const [oc, ou] = [outcomes(cand), outcomes(used)];
  const ofCouncil = <T>(list: T[]) => list.filter((_, i) => items[i]!.kind === 'council');
  return {
    folds, seed, heldOut: { shipped: items.length - council, council },
    candidate: figuresOf(items, cand), inUse: figuresOf(items, used),
    paired: pairOutcomes(oc, ou), pairedCouncil: pairOutcomes(ofCouncil(oc), ofCouncil(ou)),
  };
}

