import { sql, type SQL } from 'drizzle-orm';
import { BUCKET_STEPS, LAST_BUCKET } from '../dashboards/duration-histogram.js';
import type { Tx } from './client.js';

/*
 * The dashboards' rollup (schema-dashboards.ts). One statement turns case rows, each with a sign
 * (+1 counts it, -1 takes it away), into additions to the rollup: building it is that statement over
 * every case; a change to a case is the same statement over its row before (-1) and after (+1),
 * in the change's transaction. One definition for both, so they cannot drift apart.
 */

type Row = Record<string, unknown>;
export const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];

/**
 * Held shared by each transaction that moves the rollup, from its first change to its commit, and
 * exclusively by each batch of a build: a batch counts cases as committed, and a change reads how
 * far the build has come only once no batch is under way, so each case is counted exactly once.
 */
export const STATS_BUILD_LOCK = 0x574c_0002;
const holdStatsLock = (db: Tx) => db.execute(sql`select pg_advisory_xact_lock_shared(${STATS_BUILD_LOCK})`);

/** The case columns a dashboard figure depends on: a change to none of them leaves the rollup as it is. */
export const STATS_FIELDS = ['status', 'serviceId', 'wardId', 'topic', 'assigneeId', 'createdAt', 'acknowledgeBy', 'respondBy', 'acknowledgedAt', 'respondedAt', 'resolvedAt'] as const;

const OPEN = sql.raw(`('new','routed','acknowledged','in_progress','needs_info','reopened')`);
/** Every dimension the monthly table keeps; the daily and histogram tables keep fewer. */
const DAILY_DIMS = sql.raw(`('city','ward','topic','service')`);
const HIST_DIMS = sql.raw(`('city','ward','topic','service','service_assignee')`);
const DUE_DIMS = HIST_DIMS;
/** The rollup's shape: a rollup built by an older version is built again (case_stats_meta.version). */
export const ROLLUP_VERSION = 2;
/** Deadlines an open case can still miss, as the partial indexes on `cases` (schema-cases.ts) define them. */
const DUE_DAY = sql.raw(`case when s.status in ('new','routed','acknowledged','in_progress','reopened') and (s.acknowledged_at is null or s.responded_at is null)
      then (least(case when s.acknowledged_at is null then s.acknowledge_by end, case when s.responded_at is null then s.respond_by end) at time zone m.zone)::date end`);

function bucketSql(seconds: string): SQL {
  const [a, b, c] = BUCKET_STEPS;
  return sql.raw(`case when ${seconds} is null then null
    when ${seconds} < ${b.from} then floor(greatest(${seconds}, 0) / ${a.width})::int
    when ${seconds} < ${c.from} then ${b.first} + floor((${seconds} - ${b.from}) / ${b.width})::int
    else least(${LAST_BUCKET}, ${c.first} + floor((${seconds} - ${c.from}) / ${c.width})::int) end`);
}

/**
 * Adds the contributions of `src` (rows of `cases` with a `sign` column) to the rollup, in the zone
 * it was built in; while it is being built, only of the cases its batches have counted so far.
 */
export function applySql(src: SQL): SQL {
  return sql`
with src as (${src}),
f as (
  select s.sign, s.ward_id, s.service_id, s.topic, s.assignee_id::text as assignee,
    date_trunc('month', s.created_at at time zone m.zone)::date as month,
    (s.created_at at time zone m.zone)::date as cday, (s.resolved_at at time zone m.zone)::date as rday,
    (s.status in ${OPEN})::int as open,
    (s.acknowledged_at is not null)::int as acked, coalesce(s.acknowledged_at <= s.acknowledge_by, false)::int as ack_on_time,
    (s.acknowledged_at is null and s.acknowledge_by is not null)::int as ack_pending,
    (s.responded_at is not null)::int as resp, coalesce(s.responded_at <= s.respond_by, false)::int as resp_on_time,
    (s.responded_at is null and s.respond_by is not null)::int as resp_pending,
    ${bucketSql('extract(epoch from s.acknowledged_at - s.created_at)')} as ack_bucket,
    ${bucketSql('extract(epoch from s.responded_at - s.created_at)')} as resp_bucket,
    ${DUE_DAY} as due_day
  from src s cross join case_stats_meta m where m.id = 1 and (m.build_cursor is null or s.id <= m.build_cursor)),
d as (
  select f.*, x.dim, x.k1, x.k2, x.k3 from f cross join lateral (values
    ('city', '', '', ''), ('ward', f.ward_id, '', ''), ('topic', f.topic, '', ''), ('service', f.service_id, '', ''),
    ('service_assignee', f.service_id, coalesce(f.assignee, ''), ''),
    ('ward_service_topic', f.ward_id, coalesce(f.service_id, ''), f.topic),
    ('service_topic', coalesce(f.service_id, ''), f.topic, '')) x(dim, k1, k2, k3)
  where x.k1 is not null and x.k2 is not null and x.k3 is not null),
monthly as (
  insert into case_stats_monthly as t (dim, k1, k2, k3, month, created, open, acknowledged, ack_on_time, ack_pending, responded, resp_on_time, resp_pending)
  select dim, k1, k2, k3, month, sum(sign), sum(sign * open), sum(sign * acked), sum(sign * ack_on_time), sum(sign * ack_pending),
    sum(sign * resp), sum(sign * resp_on_time), sum(sign * resp_pending)
  from d group by dim, k1, k2, k3, month
  having sum(sign) <> 0 or sum(sign * open) <> 0 or sum(sign * acked) <> 0 or sum(sign * ack_on_time) <> 0 or sum(sign * ack_pending) <> 0
    or sum(sign * resp) <> 0 or sum(sign * resp_on_time) <> 0 or sum(sign * resp_pending) <> 0
  order by dim, k1, k2, k3, month
  on conflict (dim, k1, k2, k3, month) do update set created = t.created + excluded.created, open = t.open + excluded.open,
    acknowledged = t.acknowledged + excluded.acknowledged, ack_on_time = t.ack_on_time + excluded.ack_on_time,
    ack_pending = t.ack_pending + excluded.ack_pending, responded = t.responded + excluded.responded,
    resp_on_time = t.resp_on_time + excluded.resp_on_time, resp_pending = t.resp_pending + excluded.resp_pending
  returning 1),
daily as (
  insert into case_stats_daily as t (dim, k1, day, created, resolved)
  select dim, k1, day, sum(c), sum(r) from (
    select dim, k1, cday as day, sign as c, 0 as r from d where dim in ${DAILY_DIMS}
    union all select dim, k1, rday, 0, sign from d where dim in ${DAILY_DIMS} and rday is not null) y
  group by dim, k1, day having sum(c) <> 0 or sum(r) <> 0 order by dim, k1, day
  on conflict (dim, k1, day) do update set created = t.created + excluded.created, resolved = t.resolved + excluded.resolved
  returning 1),
hist as (
  insert into case_stats_hist as t (dim, k1, k2, month, measure, bucket, n)
  select dim, k1, k2, month, measure, bucket, sum(sign) from (
    select dim, k1, k2, month, 1 as measure, ack_bucket as bucket, sign from d where dim in ${HIST_DIMS} and ack_bucket is not null
    union all select dim, k1, k2, month, 2, resp_bucket, sign from d where dim in ${HIST_DIMS} and resp_bucket is not null) y
  group by dim, k1, k2, month, measure, bucket having sum(sign) <> 0 order by dim, k1, k2, month, measure, bucket
  on conflict (dim, k1, k2, month, measure, bucket) do update set n = t.n + excluded.n
  returning 1),
due as (
  insert into case_stats_due as t (dim, k1, k2, day, month, n)
  select dim, k1, k2, due_day, month, sum(sign) from d where dim in ${DUE_DIMS} and due_day is not null
  group by dim, k1, k2, due_day, month having sum(sign) <> 0 order by dim, k1, k2, due_day, month
  on conflict (dim, k1, k2, day, month) do update set n = t.n + excluded.n
  returning 1)
select (select count(*) from monthly) + (select count(*) from daily) + (select count(*) from hist) + (select count(*) from due) as changed`;
}

/**
 * A case's row as it is now, for `recordCaseChange` after the change. Taken even before the rollup
 * is built: should a build commit in between, the change still moves it from this row.
 */
export async function snapshotCaseForStats(db: Tx, caseId: string): Promise<string | null> {
  const r = rowsOf(await db.execute(sql`select row_to_json(c)::text as j from cases c where c.id = ${caseId}`))[0];
  return r ? String(r.j) : null;
}

/** Moves the rollup from a case's old row (a snapshot, or none for a new case) to its row now. */
export async function recordCaseChange(db: Tx, caseId: string, before: string | null): Promise<void> {
  await holdStatsLock(db);
  const now = sql`select c.*, 1 as sign from cases c where c.id = ${caseId}`;
  await db.execute(applySql(before === null ? now
    : sql`select o.*, -1 as sign from json_populate_record(null::cases, ${before}::json) o union all ${now}`));
}

/** Adds new cases to the rollup in one statement (as `recordCaseChange` with no row before, for each). */
export async function recordCasesOpened(db: Tx, caseIds: string[]): Promise<void> {
  if (!caseIds.length) return;
  await holdStatsLock(db);
  await db.execute(applySql(sql`select c.*, 1 as sign from cases c where c.id in ${caseIds}`));
}
