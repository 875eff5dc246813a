import { sql } from 'drizzle-orm';
import { loadCatalogue } from '../db/catalogue-repo.js';
import type { Db } from '../db/client.js';
import { recordAudit } from '../db/audit-repo.js';
import { loadCouncilExamples } from '../db/intake-examples-repo.js';
import { inUseRecipe, listIntakeModels, nextModelVersion, putModelInUse, storeIntakeModel } from '../db/intake-models-repo.js';
import type { ExampleLabel } from '../db/schema-intake.js';
import { loadStreetGazetteer } from '../db/streets-repo.js';
import type { CouncilExample } from '../intake/learning/council-examples.js';
import type { Comparison } from '../intake/learning/cross-compare.js';
import { retrainIntakeModel, type RetrainResult } from '../intake/learning/retrain.js';
import { loadShippedExamples } from '../intake/learning/shipped-examples.js';
import type { Verdict } from '../intake/learning/verdict.js';
import { loadShippedModel, serialiseModel } from '../intake/model/intake-model.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';

export interface RetrainDeps {
  db: Db;
  clock: Clock;
}

export type RetrainReport =
  | { outcome: 'nothing_new'; inUse: string; councilExamples: number }
  | { outcome: 'adopted' | 'refused'; version: string; inUse: string; councilExamples: number; comparison: Comparison; verdict: Verdict; seconds: number };

const labelOf = (e: CouncilExample): ExampleLabel => ({ id: e.id, kind: e.kind, cases: e.cases, missing: e.missing });

/** The model in use as a recipe: the council examples it learnt from, with the labels they had then. */
function inUseCouncil(recipe: ExampleLabel[], now: CouncilExample[]): CouncilExample[] {
  const byId = new Map(now.map((e) => [e.id, e]));
  return recipe.flatMap((l) => {
    const e = byId.get(l.id);
    return e ? [{ ...e, kind: l.kind as CouncilExample['kind'], cases: l.cases, missing: l.missing }] : [];
  });
}

/** One retraining run at most at a time across processes. */
const RETRAIN_LOCK = 0x574c_0013;

/**
 * `wardline intake retrain` and the weekly job: a candidate on the shipped examples plus the
 * council's, cross-validated against the model in use on the same folds; stored either way (a
 * refused one with its figures only) and put in use when it is not worse. Never logs message text.
 */
export async function runIntakeRetrain(deps: RetrainDeps, opts: { actor: string; folds?: number; seed?: number }): Promise<RetrainReport> {
  const started = performance.now();
  const shippedModel = loadShippedModel();
  const { db } = deps;
  const catalogue = await loadCatalogue(db);
  const [council, recipe, streets] = [await loadCouncilExamples(db), await inUseRecipe(db), await loadStreetGazetteer(db, catalogue.wardSet)];
  // A stored model built on an older shipped model is not in use any more (loadModelInUse): compare with the shipped one.
  const current = recipe && recipe.baseVersion === shippedModel.version ? recipe : null;
  const inUse = { version: current?.version ?? shippedModel.version, council: current ? inUseCouncil(current.examples, council) : [] };
  const shipped = { model: shippedModel, ...loadShippedExamples() };
  const day = deps.clock.now().toISOString().slice(0, 10);
  const result = await retrainIntakeModel({
    shipped, inUse, council, catalogue, streets, version: `${day}.candidate`,
    ...(opts.folds ? { folds: opts.folds } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  if (result.kind === 'nothing_new') return { outcome: 'nothing_new', inUse: inUse.version, councilExamples: council.length };
  const outcome = result.verdict.adopt ? 'adopted' as const : 'refused' as const;
  const version = await storeOutcome(deps, { day, outcome, result, base: shippedModel.version, comparedWith: inUse.version, council, actor: opts.actor });
  return {
    outcome, version, inUse: outcome === 'adopted' ? version : inUse.version, councilExamples: council.length,
    comparison: result.comparison, verdict: result.verdict, seconds: (performance.now() - started) / 1000,
  };
}

/** Stores the candidate (a refused one without its model), puts an adopted one in use, and audits it; returns its version. */
async function storeOutcome(deps: RetrainDeps, o: {
  day: string; outcome: 'adopted' | 'refused'; result: Extract<RetrainResult, { kind: 'compared' }>; base: string; comparedWith: string; council: CouncilExample[]; actor: string;
}): Promise<string> {
  const at = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RETRAIN_LOCK})`);
    const version = await nextModelVersion(tx, o.day);
    const model = o.result.candidate ? serialiseModel({ ...o.result.candidate, version }) : null;
    await storeIntakeModel(tx, {
      version, baseVersion: o.base, outcome: o.outcome, model, examples: o.council.map(labelOf), createdBy: o.actor, at,
      figures: { comparedWith: o.comparedWith, ...o.result.comparison, verdict: o.result.verdict },
    });
    if (o.outcome === 'adopted') await putModelInUse(tx, version, at);
    await recordAudit(tx, { actor: o.actor, action: 'intake.retrain', detail: { version, outcome: o.outcome, comparedWith: o.comparedWith, councilExamples: o.council.length } }, at);
    return version;
  });
}

/** `wardline intake rollback VERSION`: put a stored model (or `shipped`) in use. */
export async function rollbackIntakeModel(deps: RetrainDeps, version: string, actor: string): Promise<{ inUse: string }> {
  const shipped = loadShippedModel();
  const target = version === 'shipped' || version === shipped.version ? null : version;
  const at = deps.clock.now();
  const stored = target === null ? null : (await listIntakeModels(deps.db)).find((m) => m.version === target);
  if (stored && stored.baseVersion !== shipped.version) {
    throw new AppError('input.invalid', `${target} was trained on the shipped model ${stored.baseVersion}; this wardline ships ${shipped.version}, whose features differ. Run \`wardline intake retrain\` instead.`);
  }
  await deps.db.transaction(async (tx) => {
    await putModelInUse(tx, target, at);
    await recordAudit(tx, { actor, action: 'intake.rollback', detail: { version: target ?? `shipped ${shipped.version}` } }, at);
  });
  return { inUse: target ?? shipped.version };
}
