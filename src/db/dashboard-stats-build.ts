import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { applySql, ROLLUP_VERSION, rowsOf, STATS_BUILD_LOCK } from './dashboard-stats.js';

/*
 * Building the dashboards' rollup (dashboard-stats.ts) from every case, in batches of cases taken
 * in id order, without a lock on `cases`: case writes carry on while it is built. Each batch is a
 * short transaction holding the build lock exclusively; a change to a case waits at most for the
 * batch under way, then moves the rollup only if a batch has already counted that case (its id is
 * at most the cursor), and otherwise leaves it for the batch that will. At 1 M cases a full
 * build takes minutes; meanwhile the rollup says how far it has come and pages say so.
 */

export type DashboardStatsState =
  | { kind: 'ready' }
  | { kind: 'building'; done: number; total: number }
  /** Never built, or built by an older version or in another zone. */
  | { kind: 'missing' };

const BEFORE_EVERY_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_BATCH_CASES = 1000;

export async function dashboardStatsState(db: Tx, zone: string): Promise<DashboardStatsState> {
  const meta = rowsOf(await db.execute(sql`select zone, version, build_cursor, cases_total, cases_done from case_stats_meta where id = 1`))[0];
  if (!meta || meta.zone !== zone || Number(meta.version) !== ROLLUP_VERSION) return { kind: 'missing' };
  if (meta.build_cursor === null) return { kind: 'ready' };
  return { kind: 'building', done: Number(meta.cases_done), total: Number(meta.cases_total) };
}

/** Empties the rollup and starts building it again (from no case counted) in `zone`. */
async function restartBuild(tx: Tx, zone: string): Promise<void> {
  for (const table of ['case_stats_monthly', 'case_stats_daily', 'case_stats_hist', 'case_stats_due']) await tx.execute(sql.raw(`delete from ${table}`));
  await tx.execute(sql`insert into case_stats_meta (id, zone, version, built_at, build_cursor, cases_total, cases_done)
    values (1, ${zone}, ${ROLLUP_VERSION}, now(), ${BEFORE_EVERY_ID}::uuid, (select count(*) from cases), 0)
    on conflict (id) do update set zone = excluded.zone, version = excluded.version, built_at = excluded.built_at,
      build_cursor = excluded.build_cursor, cases_total = excluded.cases_total, cases_done = 0`);
}

/**
 * Counts the next batch of cases into the rollup, starting the build first when the rollup is
 * missing (or when `restart` is asked). Returns the state after the batch.
 */
export async function buildDashboardStatsBatch(db: Tx, zone: string, opts: { batchCases?: number; restart?: boolean } = {}): Promise<DashboardStatsState> {
  const size = Math.max(1, opts.batchCases ?? DEFAULT_BATCH_CASES);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${STATS_BUILD_LOCK})`);
    const state = await dashboardStatsState(tx, zone);
    if (opts.restart || state.kind === 'missing') await restartBuild(tx, zone);
    else if (state.kind === 'ready') return state;
    const cursor = String(rowsOf(await tx.execute(sql`select build_cursor from case_stats_meta where id = 1`))[0]!.build_cursor);
    const next = rowsOf(await tx.execute(sql`select id::text as id from cases where id > ${cursor}::uuid order by id offset ${size - 1} limit 1`))[0];
    const upTo = next ? String(next.id) : null;
    // Spelled out for each case, so that the batch is a range scan of the primary key.
    const batch = upTo === null ? sql`c.id > ${cursor}::uuid` : sql`c.id > ${cursor}::uuid and c.id <= ${upTo}::uuid`;
    const counted = rowsOf(await tx.execute(sql`update case_stats_meta set build_cursor = ${upTo}::uuid,
        cases_done = cases_done + (select count(*) from cases c where ${batch}), built_at = now() where id = 1 returning cases_done, cases_total`))[0]!;
    await tx.execute(applySql(sql`select c.*, 1 as sign from cases c where ${batch}`));
    if (upTo !== null) return { kind: 'building', done: Number(counted.cases_done), total: Number(counted.cases_total) };
    // Statistics for the planner at once, rather than when autovacuum next comes by.
    for (const table of ['case_stats_monthly', 'case_stats_daily', 'case_stats_hist', 'case_stats_due']) await tx.execute(sql.raw(`analyze ${table}`));
    return { kind: 'ready' };
  });
}

/**
 * Builds the rollup to the end, in `zone`, unless it is already built there (`force` builds it
 * again). Returns whether it built. Case writes are not held up beyond one batch at a time.
 */
export async function ensureDashboardStats(db: Tx, zone: string, opts: { force?: boolean; batchCases?: number } = {}): Promise<boolean> {
  let state = await dashboardStatsState(db, zone);
  if (!opts.force && state.kind === 'ready') return false;
  state = await buildDashboardStatsBatch(db, zone, { batchCases: opts.batchCases, restart: opts.force });
  while (state.kind !== 'ready') state = await buildDashboardStatsBatch(db, zone, { batchCases: opts.batchCases });
  return true;
}
