import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';

/** The cases a dashboard counts: a ward, several (cluster, district), a service or a topic; none = the city. */
export interface DashboardArea {
  wardIds?: string[];
  serviceIds?: string[];
  topic?: string;
}

export interface DashboardRange {
  from: Date;
  to: Date;
  now: Date;
  zone: string;
}

export interface AreaFigures {
  newCount: number;
  resolvedCount: number;
  openCount: number;
  overdueCount: number;
  medianAcknowledgeHours: number | null;
  medianRespondHours: number | null;
  topTopics: { topic: string; count: number }[];
  /** New and resolved per ISO week (Monday, council time) in the range, oldest first; weeks with none are absent. */
  weeks: { weekStart: string; newCount: number; resolvedCount: number }[];
}

type Row = Record<string, unknown>;
export const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];
const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const list = (ids: string[]) => sql.join(ids.map((x) => sql`${x}`), sql`, `);
export const OPEN_STATUSES_SQL = sql`('new','routed','acknowledged','in_progress','needs_info','reopened')`;

export function areaSql(a: DashboardArea): SQL {
  const parts: SQL[] = [sql`true`];
  if (a.wardIds) parts.push(a.wardIds.length ? sql`ward_id in (${list(a.wardIds)})` : sql`false`);
  if (a.serviceIds) parts.push(a.serviceIds.length ? sql`service_id in (${list(a.serviceIds)})` : sql`false`);
  if (a.topic) parts.push(sql`topic = ${a.topic}`);
  return sql.join(parts, sql` and `);
}

/** Overdue: open, and past acknowledge-by unacknowledged or past respond-by without a response (paused cases are not). */
export const overdueSql = (now: Date) => sql`(status in ${OPEN_STATUSES_SQL} and status <> 'needs_info' and (
  (acknowledged_at is null and acknowledge_by < ${t(now)}) or (responded_at is null and respond_by < ${t(now)})))`;

/** One area's figures for a range: counts, medians, top topics (never of restricted services) and the weekly trend. */
export async function loadAreaFigures(db: Tx, area: DashboardArea, r: DashboardRange): Promise<AreaFigures> {
  const where = areaSql(area);
  const inRange = sql`created_at >= ${t(r.from)} and created_at < ${t(r.to)}`;
  const [counts, open, weeks, topics] = await Promise.all([
    db.execute(sql`
      select count(*) as new_count,
        percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at)) / 3600 as ack_h,
        percentile_cont(0.5) within group (order by extract(epoch from responded_at - created_at)) / 3600 as resp_h
      from cases where ${where} and ${inRange}`),
    db.execute(sql`
      select count(*) as open_count, count(*) filter (where ${overdueSql(r.now)}) as overdue_count
      from cases where ${where} and status in ${OPEN_STATUSES_SQL}`),
    db.execute(sql`
      with n as (select date_trunc('week', created_at at time zone ${r.zone})::date as wk, count(*) as c
                 from cases where ${where} and ${inRange} group by 1),
           s as (select date_trunc('week', resolved_at at time zone ${r.zone})::date as wk, count(*) as c
                 from cases where ${where} and resolved_at >= ${t(r.from)} and resolved_at < ${t(r.to)} group by 1)
      select coalesce(n.wk, s.wk)::text as wk, coalesce(n.c, 0) as new_count, coalesce(s.c, 0) as resolved_count
      from n full join s on n.wk = s.wk order by 1`),
    db.execute(sql`
      select topic, count(*) as n from cases
      where ${where} and ${inRange} and topic is not null
        and (service_id is null or service_id not in (select id from services where restricted))
      group by topic order by n desc, topic limit 5`),
  ]);
  const c = rowsOf(counts)[0] ?? {};
  const o = rowsOf(open)[0] ?? {};
  const w = rowsOf(weeks);
  return {
    newCount: num(c.new_count), openCount: num(o.open_count), overdueCount: num(o.overdue_count),
    resolvedCount: w.reduce((s, x) => s + num(x.resolved_count), 0),
    medianAcknowledgeHours: numOrNull(c.ack_h), medianRespondHours: numOrNull(c.resp_h),
    topTopics: rowsOf(topics).map((x) => ({ topic: String(x.topic), count: num(x.n) })),
    weeks: w.map((x) => ({ weekStart: String(x.wk), newCount: num(x.new_count), resolvedCount: num(x.resolved_count) })),
  };
}

export interface RmScore {
  personId: string | null;
  cases: number;
  acknowledgedOnTime: number;
  acknowledgeDue: number;
  respondedOnTime: number;
  respondDue: number;
  medianAcknowledgeHours: number | null;
  medianRespondHours: number | null;
  open: number;
  overdue: number;
}

/**
 * A service's scorecard, one row per assignee: of the cases opened in the range whose deadline
 * has come, how many were acknowledged and answered by it, with median times, open and overdue.
 */
export async function loadServiceScorecard(db: Tx, serviceId: string, r: DashboardRange): Promise<RmScore[]> {
  const now = t(r.now);
  const rows = rowsOf(await db.execute(sql`
    select assignee_id, count(*) as cases,
      count(*) filter (where acknowledged_at <= acknowledge_by) as ack_on_time,
      count(*) filter (where acknowledge_by < ${now} or acknowledged_at is not null) as ack_due,
      count(*) filter (where responded_at <= respond_by) as resp_on_time,
      count(*) filter (where respond_by < ${now} or responded_at is not null) as resp_due,
      percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at)) / 3600 as ack_h,
      percentile_cont(0.5) within group (order by extract(epoch from responded_at - created_at)) / 3600 as resp_h,
      count(*) filter (where status in ${OPEN_STATUSES_SQL}) as open,
      count(*) filter (where ${overdueSql(r.now)}) as overdue
    from cases where service_id = ${serviceId} and created_at >= ${t(r.from)} and created_at < ${t(r.to)}
    group by assignee_id order by count(*) desc`));
  return rows.map((x) => ({
    personId: (x.assignee_id as string | null) ?? null, cases: num(x.cases),
    acknowledgedOnTime: num(x.ack_on_time), acknowledgeDue: num(x.ack_due),
    respondedOnTime: num(x.resp_on_time), respondDue: num(x.resp_due),
    medianAcknowledgeHours: numOrNull(x.ack_h), medianRespondHours: numOrNull(x.resp_h),
    open: num(x.open), overdue: num(x.overdue),
  }));
}

export interface CaseRow {
  id: string;
  seq: number;
  status: string;
  serviceId: string | null;
  wardId: string | null;
  assigneeId: string | null;
  rmId: string | null;
  deputyId: string | null;
  raisedById: string;
  summary: string;
  location: string | null;
  topic: string | null;
  urgency: string;
  createdAt: Date;
  acknowledgeBy: Date | null;
  respondBy: Date | null;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  overdue: boolean;
}

export const CASE_COLUMNS = sql`cases.id, cases.seq, cases.status, cases.service_id, cases.ward_id, cases.assignee_id, cases.rm_id, cases.deputy_id,
  cases.raised_by_id, cases.summary, cases.location, cases.topic, cases.urgency, cases.created_at, cases.acknowledge_by, cases.respond_by,
  cases.acknowledged_at, cases.responded_at, cases.resolved_at`;

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export function toCaseRow(x: Row): CaseRow {
  return {
    id: String(x.id), seq: num(x.seq), status: String(x.status), serviceId: (x.service_id as string | null) ?? null,
    wardId: (x.ward_id as string | null) ?? null, assigneeId: (x.assignee_id as string | null) ?? null,
    rmId: (x.rm_id as string | null) ?? null, deputyId: (x.deputy_id as string | null) ?? null, raisedById: String(x.raised_by_id),
    summary: String(x.summary), location: (x.location as string | null) ?? null, topic: (x.topic as string | null) ?? null,
    urgency: String(x.urgency), createdAt: new Date(x.created_at as string), acknowledgeBy: date(x.acknowledge_by),
    respondBy: date(x.respond_by), acknowledgedAt: date(x.acknowledged_at), respondedAt: date(x.responded_at),
    resolvedAt: date(x.resolved_at), overdue: x.overdue === true || x.overdue === 't',
  };
}

/** A service's overdue cases, the longest overdue first. */
export async function loadOverdueCases(db: Tx, area: DashboardArea, now: Date, limit = 50): Promise<CaseRow[]> {
  const rows = rowsOf(await db.execute(sql`
    select ${CASE_COLUMNS}, true as overdue from cases
    where ${areaSql(area)} and ${overdueSql(now)}
    order by least(coalesce(case when acknowledged_at is null then acknowledge_by end, 'infinity'), coalesce(case when responded_at is null then respond_by end, 'infinity')), seq
    limit ${limit}`));
  return rows.map(toCaseRow);
}
