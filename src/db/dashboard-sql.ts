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
export const num = (v: unknown) => Number(v ?? 0);
export const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
export const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const list = (ids: string[]) => sql.join(ids.map((x) => sql`${x}`), sql`, `);
/** The ids of restricted services (housing, community safety): counted on dashboards, their topics never shown. */
export const RESTRICTED_SERVICES_SQL = sql`(select id from services where restricted)`;
/** Rows of a rollup whose month (or day) falls in whole months `from`..`to` ('YYYY-MM-DD'). */
export const inMonths = (m: { from: string; to: string }, col = sql`month`) => sql`${col} >= ${m.from}::date and ${col} < ${m.to}::date`;
export const OPEN_STATUSES_SQL = sql`('new','routed','acknowledged','in_progress','needs_info','reopened')`;

export function areaSql(a: DashboardArea): SQL {
  const parts: SQL[] = [sql`true`];
  if (a.wardIds) parts.push(a.wardIds.length ? sql`ward_id in (${list(a.wardIds)})` : sql`false`);
  if (a.serviceIds) parts.push(a.serviceIds.length ? sql`service_id in (${list(a.serviceIds)})` : sql`false`);
  if (a.topic) parts.push(sql`topic = ${a.topic}`);
  return sql.join(parts, sql` and `);
}

/** Overdue: open, and past acknowledge-by unacknowledged or past respond-by without a response (paused cases are not). */
/** The earliest deadline still to meet (a generated column, so its indexes can answer counts alone). */
export const OVERDUE_DEADLINE_SQL = sql`overdue_at`;
/** Written as the partial index cases_overdue_idx is, so that index answers it. */
export const overdueSql = (now: Date) => sql`(status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null)
  and ${OVERDUE_DEADLINE_SQL} < ${t(now)})`;

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
    order by ${OVERDUE_DEADLINE_SQL}, seq
    limit ${limit}`));
  return rows.map(toCaseRow);
}
