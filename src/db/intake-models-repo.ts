import { desc, eq, sql } from 'drizzle-orm';
import { deserialiseModel, type IntakeModel } from '../intake/model/intake-model.js';
import { AppError } from '../shared/errors.js';
import type { Tx } from './client.js';
import type { ExampleLabel } from './schema-intake.js';
import { intakeModels } from './tables.js';

export const MODEL_OUTCOMES = ['adopted', 'refused'] as const;
export type ModelOutcome = (typeof MODEL_OUTCOMES)[number];

export interface StoredModel {
  version: string;
  baseVersion: string;
  outcome: ModelOutcome;
  inUse: boolean;
  createdAt: Date;
  inUseSince: Date | null;
  createdBy: string;
  councilExamples: number;
  figures: Record<string, unknown>;
}

export interface NewStoredModel {
  version: string;
  baseVersion: string;
  outcome: ModelOutcome;
  /** The model file (serialiseModel); null for a refused candidate, kept for its figures only. */
  model: string | null;
  examples: ExampleLabel[];
  figures: Record<string, unknown>;
  createdBy: string;
  at: Date;
}

/** Every retrained model, newest first, without the model files. */
export async function listIntakeModels(db: Tx): Promise<StoredModel[]> {
  const rows = await db.select({
    version: intakeModels.version, baseVersion: intakeModels.baseVersion, outcome: intakeModels.outcome, inUse: intakeModels.inUse,
    createdAt: intakeModels.createdAt, inUseSince: intakeModels.inUseSince, createdBy: intakeModels.createdBy,
    councilExamples: intakeModels.councilExamples, figures: intakeModels.figures,
  }).from(intakeModels).orderBy(desc(intakeModels.id));
  return rows.map((r) => ({ ...r, outcome: r.outcome as ModelOutcome, figures: (r.figures ?? {}) as Record<string, unknown> }));
}

/** The next version name of a day: 2026-12-07.c1, .c2, … */
export async function nextModelVersion(db: Tx, day: string): Promise<string> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(intakeModels).where(sql`${intakeModels.version} like ${`${day}.c%`}`);
  return `${day}.c${(row?.n ?? 0) + 1}`;
}

export async function storeIntakeModel(db: Tx, m: NewStoredModel): Promise<void> {
  await db.insert(intakeModels).values({
    version: m.version, baseVersion: m.baseVersion, outcome: m.outcome, model: m.model, examples: m.examples, figures: m.figures,
    createdAt: m.at, createdBy: m.createdBy, councilExamples: m.examples.length,
  });
}

/** Puts a stored model in use, or (null) the shipped one. Run in a transaction. */
export async function putModelInUse(db: Tx, version: string | null, at: Date): Promise<void> {
  if (version !== null) {
    const [row] = await db.select({ outcome: intakeModels.outcome }).from(intakeModels).where(eq(intakeModels.version, version));
    if (!row) throw new AppError('input.invalid', `There is no intake model ${version}; \`wardline intake models\` lists them.`);
    if (row.outcome !== 'adopted') throw new AppError('input.invalid', `${version} was refused when it was trained (worse than the model then in use) and was not kept; pick an adopted version from \`wardline intake models\`.`);
  }
  await db.update(intakeModels).set({ inUse: false }).where(eq(intakeModels.inUse, true));
  if (version !== null) await db.update(intakeModels).set({ inUse: true, inUseSince: at }).where(eq(intakeModels.version, version));
}

/** The stored model in use: its version, what it was built on and the council examples it learnt from. */
export async function inUseRecipe(db: Tx): Promise<{ version: string; baseVersion: string; examples: ExampleLabel[] } | null> {
  const [row] = await db.select({ version: intakeModels.version, baseVersion: intakeModels.baseVersion, examples: intakeModels.examples })
    .from(intakeModels).where(eq(intakeModels.inUse, true));
  return row ?? null;
}

export async function inUseVersion(db: Tx): Promise<{ version: string; baseVersion: string } | null> {
  const [row] = await db.select({ version: intakeModels.version, baseVersion: intakeModels.baseVersion }).from(intakeModels).where(eq(intakeModels.inUse, true));
  return row ?? null;
}

async function readModel(db: Tx, version: string): Promise<IntakeModel> {
  const [row] = await db.select({ model: intakeModels.model }).from(intakeModels).where(eq(intakeModels.version, version));
  if (!row?.model) throw new AppError('catalogue.invalid', `The stored intake model ${version} has no model file.`);
  return deserialiseModel(row.model);
}

/**
 * The model to read messages with: the stored one in use when it was trained on this wardline's
 * shipped model (its features and classes), the shipped model otherwise — so after an upgrade that
 * ships a new model, the council's falls back until `intake retrain` builds on the new one.
 */
export async function loadModelInUse(db: Tx, shipped: IntakeModel, warn: (msg: string, meta: Record<string, unknown>) => void = () => {}): Promise<IntakeModel> {
  const row = await inUseVersion(db);
  if (!row) return shipped;
  if (row.baseVersion !== shipped.version) {
    warn('the intake model in use was trained on another shipped model; using the shipped one until `wardline intake retrain`', { inUse: row.version, base: row.baseVersion, shipped: shipped.version });
    return shipped;
  }
  return readModel(db, row.version);
}

/**
 * A loader for long-running processes: one small query per call, the model file read and decoded
 * only when another version has been put in use (by `intake retrain`, the weekly job or `intake
 * rollback`, in any process). A stored model that cannot be read falls back to the shipped one.
 */
export function createIntakeModelLoader(db: Tx, shipped: () => IntakeModel, warn: (msg: string, meta: Record<string, unknown>) => void): () => Promise<IntakeModel> {
  let cached: { key: string; model: IntakeModel } | null = null;
  return async () => {
    const base = shipped();
    const row = await inUseVersion(db);
    const key = row ? `${row.version}|${row.baseVersion}` : `shipped|${base.version}`;
    if (cached?.key === key) return cached.model;
    let model: IntakeModel;
    try {
      model = await loadModelInUse(db, base, warn);
    } catch (e) {
      warn('the intake model in use cannot be read; using the shipped one', { inUse: row?.version, err: (e as Error).message });
      model = base;
    }
    cached = { key, model };
    return model;
  };
}
