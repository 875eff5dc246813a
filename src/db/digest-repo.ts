import { sql } from 'drizzle-orm';
import { formatReference } from '../cases/reference.js';
import type { DigestWeek, WardWeekAggregate } from '../digests/digest-model.js';
import type { Tx } from './client.js';

/** Raw SQL takes times as ISO text cast to timestamptz (postgres.js binds no Date in raw SQL). */
const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const openAt = (end: Date) => sql`created_at < ${t(end)} and (resolved_at is null or resolved_at >= ${t(end)}) and (closed_at is null or closed_at >= ${t(end)})`;

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];
const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const list = (ids: string[]) => sql.join(ids.map((w) => sql`${w}`), sql`, `);

interface Opts { wardIds: string[] | null; week: DigestWeek; previous: DigestWeek[]; serviceId?: string }

/**
 * Weekly figures for many wards: one scan for the counts and medians (grouped by ward and
 * service), then index lookups for the oldest open cases and for the weeks' topics and trend.
 */
export async function loadWardWeekAggregates(db: Tx, opts: Opts): Promise<WardWeekAggregate[]> {
  const { week } = opts;
  const s = t(week.start);
  const e = t(week.end);
  const wards = opts.wardIds ? sql`ward_id in (${list(opts.wardIds)})` : sql`ward_id is not null`;
  const where = opts.serviceId ? sql`${wards} and service_id = ${opts.serviceId}` : wards;
  const counts = rowsOf(await db.execute(sql`
    select ward_id, service_id,
      count(*) filter (where created_at >= ${s}) as new_count,
      count(*) filter (where acknowledged_at >= ${s} and acknowledged_at < ${e}) as ack_count,
      count(*) filter (where resolved_at >= ${s} and resolved_at < ${e}) as resolved_count,
      count(*) filter (where ${openAt(week.end)}) as open_count,
      count(*) filter (where ${openAt(week.end)} and respond_by < ${e} and responded_at is null) as overdue_count
    from cases where ${where} and created_at < ${e}
    group by ward_id, service_id`));
  // Medians are ordered-set aggregates, which cannot hash: computed apart over the week's rows only,
  // so the big scan above groups by hashing instead of sorting every case.
  const medians = rowsOf(await db.execute(sql`
    select ward_id, service_id,
      percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at)) filter (where acknowledged_at >= ${s} and acknowledged_at < ${e}) / 3600 as ack_h,
      percentile_cont(0.5) within group (order by extract(epoch from responded_at - created_at)) filter (where responded_at >= ${s} and responded_at < ${e}) / 3600 as resp_h
    from cases where ${where} and ((acknowledged_at >= ${s} and acknowledged_at < ${e}) or (responded_at >= ${s} and responded_at < ${e}))
    group by ward_id, service_id`));
  const medianOf = new Map(medians.map((m) => [`${String(m.ward_id)}|${String(m.service_id)}`, m]));
  for (const c of counts) {
    const m = medianOf.get(`${String(c.ward_id)}|${String(c.service_id)}`);
    c.ack_h = m?.ack_h ?? null;
    c.resp_h = m?.resp_h ?? null;
  }
  const wardIds = opts.wardIds ?? [...new Set(counts.map((c) => String(c.ward_id)))].sort();
  const oldest = wardIds.length ? rowsOf(await db.execute(sql`
    select w.ward_id, c.seq, c.service_id, c.created_at, c.summary, c.status
    from unnest(array[${list(wardIds)}]::text[]) as w(ward_id)
    cross join lateral (
      select seq, service_id, created_at, summary, status from cases
      where cases.ward_id = w.ward_id ${opts.serviceId ? sql`and service_id = ${opts.serviceId}` : sql``} and ${openAt(week.end)}
      order by created_at, seq limit 5) c
    order by w.ward_id, c.created_at, c.seq`)) : [];
  const first = opts.previous[0]?.start ?? week.start;
  const recent = rowsOf(await db.execute(sql`
    select ward_id, ${weekCase([...opts.previous, week])} as week, topic, count(*) as n
    from cases where ${where} and created_at >= ${t(first)} and created_at < ${e}
    group by 1, 2, 3`));
  return wardIds.map((w) => assemble(w, opts, counts.filter((c) => c.ward_id === w), oldest.filter((o) => o.ward_id === w), recent.filter((r) => r.ward_id === w)));
}

function weekCase(weeks: DigestWeek[]) {
  return sql`case ${sql.join(weeks.map((w) => sql`when created_at >= ${t(w.start)} and created_at < ${t(w.end)} then ${w.id}`), sql` `)} end`;
}

function assemble(wardId: string, opts: Opts, counts: Row[], oldest: Row[], recent: Row[]): WardWeekAggregate {
  const sum = (k: string) => counts.reduce((acc, c) => acc + num(c[k]), 0);
  const thisWeek = recent.filter((r) => r.week === opts.week.id && r.topic !== null);
  const topics = thisWeek.map((r) => ({ topic: String(r.topic), count: num(r.n) }))
    .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)).slice(0, 5);
  return {
    wardId,
    newCount: sum('new_count'), acknowledgedCount: sum('ack_count'), resolvedCount: sum('resolved_count'),
    openCount: sum('open_count'), overdueCount: sum('overdue_count'),
    medians: counts.filter((c) => c.service_id !== null && (c.ack_h !== null || c.resp_h !== null))
      .map((c) => ({ serviceId: String(c.service_id), acknowledgeHours: numOrNull(c.ack_h), respondHours: numOrNull(c.resp_h) }))
      .sort((a, b) => a.serviceId.localeCompare(b.serviceId)),
    oldestOpen: oldest.map((o) => ({
      reference: formatReference(num(o.seq)), serviceId: (o.service_id as string | null) ?? null,
      openedAt: new Date(o.created_at as string), summary: String(o.summary), status: String(o.status),
    })),
    topTopics: topics,
    trend: opts.previous.map((p) => ({ week: p.id, newCount: recent.filter((r) => r.week === p.id).reduce((a, r) => a + num(r.n), 0) })),
  };
}
