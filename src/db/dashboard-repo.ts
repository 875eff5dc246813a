import { DateTime } from 'luxon';
import { sql, type SQL } from 'drizzle-orm';
import { histogramMedianHours } from '../dashboards/duration-histogram.js';
import type { Tx } from './client.js';
import { loadAreaFiguresLive, loadServiceScorecardLive } from './dashboard-live.js';
import {
  areaSql, inMonths, list, num, OVERDUE_DEADLINE_SQL, overdueSql, RESTRICTED_SERVICES_SQL, rowsOf, t, type AreaFigures, type DashboardArea, type DashboardRange, type RmScore,
} from './dashboard-sql.js';
import { dashboardStatsState } from './dashboard-stats-build.js';

export * from './dashboard-sql.js';

/*
 * The dashboards' figures from the rollup (dashboard-stats.ts): counts and open cases summed over
 * months, the weekly trend over days, medians from bucketed times (see duration-histogram.ts);
 * only what depends on the hour — overdue now, deadlines still to come — is read from `cases`,
 * through partial indexes over the few cases it can concern. Ranges that are not whole months
 * in the council's zone, and areas mixing dimensions, are computed directly (dashboard-live.ts), as
 * is everything while the rollup is still being built (dashboard-stats-build.ts).
 */

type Row = Record<string, unknown>;
interface Keys { dim: 'city' | 'ward' | 'topic' | 'service'; k1: string[] }
interface Months { from: string; to: string }

function keysOf(a: DashboardArea): Keys | null {
  const given = [a.wardIds, a.serviceIds, a.topic].filter((x) => x !== undefined).length;
  if (given === 0) return { dim: 'city', k1: [''] };
  if (given > 1) return null;
  if (a.wardIds?.length) return { dim: 'ward', k1: a.wardIds };
  if (a.serviceIds?.length) return { dim: 'service', k1: a.serviceIds };
  return a.topic ? { dim: 'topic', k1: [a.topic] } : null;
}

/** The range as whole months in the zone ('YYYY-MM-DD' of each end), or null when it is not. */
export function monthsOf(r: { from: Date; to: Date; zone: string }): Months | null {
  const f = DateTime.fromJSDate(r.from, { zone: r.zone });
  const e = DateTime.fromJSDate(r.to, { zone: r.zone });
  if (+f !== +f.startOf('month') || +e !== +e.startOf('month') || e <= f) return null;
  return { from: f.toISODate()!, to: e.toISODate()! };
}

function medians(rows: Row[], measureOf = (x: Row) => num(x.measure)): { ack: number | null; resp: number | null } {
  const hist = [new Map<number, number>(), new Map<number, number>()];
  for (const x of rows) hist[measureOf(x) - 1]!.set(num(x.bucket), num(x.n));
  return { ack: histogramMedianHours(hist[0]!), resp: histogramMedianHours(hist[1]!) };
}

function topicsSql(k: Keys, m: Months): SQL {
  const restricted = RESTRICTED_SERVICES_SQL;
  const keys = list(k.k1);
  if (k.dim === 'ward') {
    return sql`select k3 as topic, sum(created) as n from case_stats_monthly where dim = 'ward_service_topic' and k1 in (${keys})
      and k2 not in ${restricted} and ${inMonths(m)} group by k3 having sum(created) > 0 order by n desc, topic limit 5`;
  }
  const which = k.dim === 'city' ? sql`true` : k.dim === 'topic' ? sql`k2 in (${keys})` : sql`k1 in (${keys})`;
  return sql`select k2 as topic, sum(created) as n from case_stats_monthly where dim = 'service_topic' and ${which}
    and k1 not in ${restricted} and ${inMonths(m)} group by k2 having sum(created) > 0 order by n desc, topic limit 5`;
}

/**
 * Overdue now: the open cases whose deadline fell on a day before today (council time), summed
 * from the rollup, and those due earlier today, counted over a short range of a partial index.
 */
function overdueCountSql(k: Keys, area: DashboardArea, r: DashboardRange): SQL {
  const today = startOfToday(r);
  return sql`select (select coalesce(sum(n), 0) from case_stats_due where dim = ${k.dim} and k1 in (${list(k.k1)}) and k2 = '' and day < ${today.day}::date)
    + (select count(*) from cases where ${areaSql(area)} and ${overdueSql(r.now)} and ${OVERDUE_DEADLINE_SQL} >= ${t(today.at)}) as n`;
}

/** The same for a service's cases opened in the months, per assignee. */
function overdueByAssigneeSql(serviceId: string, m: Months, r: DashboardRange, ofService: SQL): SQL {
  const today = startOfToday(r);
  return sql`select k2, sum(n) as n from (
      select k2, n from case_stats_due where dim = 'service_assignee' and k1 = ${serviceId} and day < ${today.day}::date and ${inMonths(m)}
      union all select coalesce(assignee_id::text, ''), 1 from cases where ${ofService} and ${overdueSql(r.now)} and ${OVERDUE_DEADLINE_SQL} >= ${t(today.at)}) x
    group by k2`;
}

function startOfToday(r: DashboardRange): { day: string; at: Date } {
  const today = DateTime.fromJSDate(r.now, { zone: r.zone }).startOf('day');
  return { day: today.toISODate()!, at: today.toJSDate() };
}

async function areaFromRollup(db: Tx, area: DashboardArea, k: Keys, m: Months, r: DashboardRange): Promise<AreaFigures> {
  const keyed = sql`dim = ${k.dim} and k1 in (${list(k.k1)})`;
  const [counts, hist, weeks, topics, overdue] = await Promise.all([
    db.execute(sql`select coalesce(sum(created) filter (where ${inMonths(m)}), 0) as new_count, coalesce(sum(open), 0) as open_count
      from case_stats_monthly where ${keyed} and k2 = '' and k3 = ''`),
    db.execute(sql`select measure, bucket, sum(n) as n from case_stats_hist where ${keyed} and k2 = '' and ${inMonths(m)} group by measure, bucket`),
    db.execute(sql`select date_trunc('week', day::timestamp)::date::text as wk, sum(created) as new_count, sum(resolved) as resolved_count
      from case_stats_daily where ${keyed} and ${inMonths(m, sql`day`)} group by 1 having sum(created) <> 0 or sum(resolved) <> 0 order by 1`),
    db.execute(topicsSql(k, m)),
    db.execute(overdueCountSql(k, area, r)),
  ]);
  const c = rowsOf(counts)[0] ?? {};
  const w = rowsOf(weeks);
  const med = medians(rowsOf(hist));
  return {
    newCount: num(c.new_count), openCount: num(c.open_count), overdueCount: num(rowsOf(overdue)[0]?.n),
    resolvedCount: w.reduce((s, x) => s + num(x.resolved_count), 0),
    medianAcknowledgeHours: med.ack, medianRespondHours: med.resp,
    topTopics: rowsOf(topics).map((x) => ({ topic: String(x.topic), count: num(x.n) })),
    weeks: w.map((x) => ({ weekStart: String(x.wk), newCount: num(x.new_count), resolvedCount: num(x.resolved_count) })),
  };
}

/**
 * One area's figures for a range: new, open and overdue now, resolved, median times to acknowledge
 * and respond (to the buckets' resolution), top topics (never of restricted services), the weekly trend.
 */
export async function loadAreaFigures(db: Tx, area: DashboardArea, r: DashboardRange): Promise<AreaFigures> {
  const k = keysOf(area);
  const m = monthsOf(r);
  if (!k || !m || (await dashboardStatsState(db, r.zone)).kind !== 'ready') return loadAreaFiguresLive(db, area, r);
  return areaFromRollup(db, area, k, m, r);
}

/**
 * A service's scorecard, one row per assignee: of the cases opened in the range whose deadline
 * has come, how many were acknowledged and answered by it, with median times, open and overdue.
 */
export async function loadServiceScorecard(db: Tx, serviceId: string, r: DashboardRange): Promise<RmScore[]> {
  const m = monthsOf(r);
  if (!m || (await dashboardStatsState(db, r.zone)).kind !== 'ready') return loadServiceScorecardLive(db, serviceId, r);
  const now = t(r.now);
  const ofService = sql`service_id = ${serviceId} and created_at >= ${t(r.from)} and created_at < ${t(r.to)}`;
  const [sums, hist, coming, overdue] = await Promise.all([
    db.execute(sql`select k2, sum(created) as cases, sum(acknowledged) as acked, sum(ack_on_time) as ack_on_time, sum(ack_pending) as ack_pending,
      sum(responded) as resp, sum(resp_on_time) as resp_on_time, sum(resp_pending) as resp_pending, sum(open) as open
      from case_stats_monthly where dim = 'service_assignee' and k1 = ${serviceId} and k3 = '' and ${inMonths(m)} group by k2 having sum(created) > 0`),
    db.execute(sql`select k2, measure, bucket, sum(n) as n from case_stats_hist where dim = 'service_assignee' and k1 = ${serviceId} and ${inMonths(m)} group by k2, measure, bucket`),
    db.execute(sql`select coalesce(assignee_id::text, '') as k2,
        count(*) filter (where acknowledged_at is null and acknowledge_by >= ${now}) as ack_coming,
        count(*) filter (where responded_at is null and respond_by >= ${now}) as resp_coming
      from cases where ${ofService} and ((acknowledged_at is null and acknowledge_by >= ${now}) or (responded_at is null and respond_by >= ${now})) group by 1`),
    db.execute(overdueByAssigneeSql(serviceId, m, r, ofService)),
  ]);
  const by = (rows: unknown) => new Map(rowsOf(rows).map((x) => [String(x.k2), x]));
  const [comingBy, overdueBy] = [by(coming), by(overdue)];
  const histRows = rowsOf(hist);
  return rowsOf(sums).map((x) => {
    const k2 = String(x.k2);
    const soon = comingBy.get(k2) ?? {};
    const med = medians(histRows.filter((h) => String(h.k2) === k2));
    return {
      personId: k2 || null, cases: num(x.cases),
      acknowledgedOnTime: num(x.ack_on_time), acknowledgeDue: num(x.acked) + num(x.ack_pending) - num(soon.ack_coming),
      respondedOnTime: num(x.resp_on_time), respondDue: num(x.resp) + num(x.resp_pending) - num(soon.resp_coming),
      medianAcknowledgeHours: med.ack, medianRespondHours: med.resp, open: num(x.open), overdue: num(overdueBy.get(k2)?.n),
    };
  }).sort((a, b) => b.cases - a.cases || (a.personId ?? '').localeCompare(b.personId ?? ''));
}
