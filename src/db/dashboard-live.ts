import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import {
  areaSql, num, numOrNull, OPEN_STATUSES_SQL, overdueSql, rowsOf, t, type AreaFigures, type DashboardArea, type DashboardRange, type RmScore,
} from './dashboard-sql.js';

/*
 * The dashboards' figures computed directly over `cases`, with exact medians: what the rollup
 * (dashboard-repo.ts) must agree with, and the answer for ranges and areas it does not keep.
 */

/** One area's figures for a range: counts, medians, top topics (never of restricted services) and the weekly trend. */
export async function loadAreaFiguresLive(db: Tx, area: DashboardArea, r: DashboardRange): Promise<AreaFigures> {
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

/**
 * A service's scorecard, one row per assignee: of the cases opened in the range whose deadline
 * has come, how many were acknowledged and answered by it, with median times, open and overdue.
 */
export async function loadServiceScorecardLive(db: Tx, serviceId: string, r: DashboardRange): Promise<RmScore[]> {
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

