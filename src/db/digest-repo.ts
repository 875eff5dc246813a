import { sql } from 'drizzle-orm';
import { formatReference } from '../cases/reference.js';
import type { DigestWeek, WardWeekAggregate } from '../digests/digest-model.js';
import type { Tx } from './client.js';

/** Raw SQL takes times as ISO text cast to timestamptz (postgres.js binds no Date in raw SQL). */
const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const OPEN_AT = (end: Date) => sql`created_at < ${t(end)} and (resolved_at is null or resolved_at >= ${t(end)}) and (closed_at is null or closed_at >= ${t(end)})`;

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];
const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const wardFilter = (wardIds: string[] | null, serviceId?: string) => {
  const wards = wardIds ? sql`ward_id in (${sql.join(wardIds.map((w) => sql`${w}`), sql`, `)})` : sql`ward_id is not null`;
  return serviceId ? sql`${wards} and service_id = ${serviceId}` : wards;
};

/**
 * Weekly figures for many wards in a handful of grouped queries (one scan each), so the cost
 * does not grow with the number of wards asked for.
 */
export async function loadWardWeekAggregates(db: Tx, opts: { wardIds: string[] | null; week: DigestWeek; previous: DigestWeek[]; serviceId?: string }): Promise<WardWeekAggregate[]> {
  const { week } = opts;
  const s = t(week.start);
  const e = t(week.end);
  const first = t(opts.previous[0]?.start ?? week.start);
  const wf = wardFilter(opts.wardIds, opts.serviceId);
  const counts = rowsOf(await db.execute(sql`
    select ward_id,
      count(*) filter (where created_at >= ${s} and created_at < ${e}) as new_count,
      count(*) filter (where acknowledged_at >= ${s} and acknowledged_at < ${e}) as ack_count,
      count(*) filter (where resolved_at >= ${s} and resolved_at < ${e}) as resolved_count,
      count(*) filter (where ${OPEN_AT(week.end)}) as open_count,
      count(*) filter (where ${OPEN_AT(week.end)} and respond_by < ${e} and responded_at is null) as overdue_count
    from cases where ${wf} and created_at < ${e}
    group by ward_id`));
  const medians = rowsOf(await db.execute(sql`
    select ward_id, service_id,
      percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at)) filter (where acknowledged_at >= ${s} and acknowledged_at < ${e}) / 3600 as ack_h,
      percentile_cont(0.5) within group (order by extract(epoch from responded_at - created_at)) filter (where responded_at >= ${s} and responded_at < ${e}) / 3600 as resp_h
    from cases where ${wf} and ((acknowledged_at >= ${s} and acknowledged_at < ${e}) or (responded_at >= ${s} and responded_at < ${e}))
    group by ward_id, service_id order by ward_id, service_id`));
  const oldest = rowsOf(await db.execute(sql`
    select ward_id, seq, service_id, created_at, summary, status from (
      select ward_id, seq, service_id, created_at, summary, status,
        row_number() over (partition by ward_id order by created_at, seq) as rn
      from cases where ${wf} and ${OPEN_AT(week.end)}) t where rn <= 5 order by ward_id, rn`));
  const topics = rowsOf(await db.execute(sql`
    select ward_id, topic, n from (
      select ward_id, topic, count(*) as n, row_number() over (partition by ward_id order by count(*) desc, topic) as rn
      from cases where ${wf} and created_at >= ${s} and created_at < ${e} and topic is not null
      group by ward_id, topic) t where rn <= 5 order by ward_id, rn`));
  const trend = rowsOf(await db.execute(sql`
    select ward_id, ${weekCase(opts.previous)} as week, count(*) as n
    from cases where ${wf} and created_at >= ${first} and created_at < ${s}
    group by 1, 2`));
  return assemble(opts, { counts, medians, oldest, topics, trend });
}

function weekCase(weeks: DigestWeek[]) {
  if (!weeks.length) return sql`null`;
  return sql`case ${sql.join(weeks.map((w) => sql`when created_at >= ${t(w.start)} and created_at < ${t(w.end)} then ${w.id}`), sql` `)} end`;
}

function assemble(opts: { wardIds: string[] | null; previous: DigestWeek[] }, r: Record<'counts' | 'medians' | 'oldest' | 'topics' | 'trend', Row[]>): WardWeekAggregate[] {
  const wardIds = opts.wardIds ?? [...new Set([...r.counts, ...r.oldest].map((x) => String(x.ward_id)))].sort();
  const by = (list: Row[], w: string) => list.filter((x) => x.ward_id === w);
  return wardIds.map((w) => {
    const c = by(r.counts, w)[0] ?? {};
    const trend = by(r.trend, w);
    return {
      wardId: w,
      newCount: num(c.new_count), acknowledgedCount: num(c.ack_count), resolvedCount: num(c.resolved_count),
      openCount: num(c.open_count), overdueCount: num(c.overdue_count),
      medians: by(r.medians, w).map((m) => ({ serviceId: String(m.service_id), acknowledgeHours: numOrNull(m.ack_h), respondHours: numOrNull(m.resp_h) })),
      oldestOpen: by(r.oldest, w).map((o) => ({
        reference: formatReference(num(o.seq)), serviceId: (o.service_id as string | null) ?? null,
        openedAt: new Date(o.created_at as string), summary: String(o.summary), status: String(o.status),
      })),
      topTopics: by(r.topics, w).map((t) => ({ topic: String(t.topic), count: num(t.n) })),
      trend: opts.previous.map((p) => ({ week: p.id, newCount: num(trend.find((t) => t.week === p.id)?.n) })),
    };
  });
}
