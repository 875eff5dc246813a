import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { monthsOf } from './dashboard-repo.js';
import { inMonths, num, OPEN_STATUSES_SQL, RESTRICTED_SERVICES_SQL as RESTRICTED, rowsOf, t, type DashboardRange } from './dashboard-sql.js';
import { dashboardStatsState } from './dashboard-stats-build.js';

/** One ward's share of a topic: cases opened in the range, and open now. */
export interface TopicWardRow { wardId: string; newCount: number; openCount: number }

/**
 * A topic ward by ward (the thematic dashboard): every ward with a case of it opened in the range
 * or open now, most new first. Restricted services' cases are left out, as their topics are
 * everywhere else on the dashboards. From the rollup when the range is whole months and it is
 * built, otherwise counted from cases; the two agree (tested).
 */
export async function loadTopicByWard(db: Tx, topic: string, r: DashboardRange): Promise<TopicWardRow[]> {
  const m = monthsOf(r);
  const fromRollup = m && (await dashboardStatsState(db, r.zone)).kind === 'ready';
  const rows = rowsOf(await db.execute(fromRollup
    ? sql`select k1 as ward_id, coalesce(sum(created) filter (where ${inMonths(m)}), 0) as new_count,
        coalesce(sum(open), 0) as open_count
      from case_stats_monthly where dim = 'ward_service_topic' and k3 = ${topic} and k2 not in ${RESTRICTED} group by k1`
    : sql`select ward_id, count(*) filter (where created_at >= ${t(r.from)} and created_at < ${t(r.to)}) as new_count,
        count(*) filter (where status in ${OPEN_STATUSES_SQL}) as open_count
      from cases where topic = ${topic} and ward_id is not null and (service_id is null or service_id not in ${RESTRICTED}) group by ward_id`));
  return rows.map((x) => ({ wardId: String(x.ward_id), newCount: num(x.new_count), openCount: num(x.open_count) }))
    .filter((x) => x.newCount > 0 || x.openCount > 0)
    .sort((a, b) => b.newCount - a.newCount || b.openCount - a.openCount || a.wardId.localeCompare(b.wardId));
}
