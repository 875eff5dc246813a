import { DateTime } from 'luxon';
import type { CatalogueIndex } from '../catalogue/catalogue.js';
import { mayDescribe } from '../cases/authorisation.js';
import { AppError } from '../shared/errors.js';

/** One ISO week in council time: Monday 00:00 to the next Monday 00:00. */
export interface DigestWeek {
  id: string;
  start: Date;
  end: Date;
}

export function parseIsoWeek(id: string, zone: string): DigestWeek {
  const m = /^(\d{4})-W(\d{2})$/.exec(id.trim());
  const dt = m ? DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone }) : null;
  if (!m || !dt?.isValid || dt.weekNumber !== Number(m[2])) {
    throw new AppError('input.invalid', `"${id}" is not an ISO week; write it like 2026-W47.`);
  }
  const start = dt.startOf('day');
  return { id: `${m[1]}-W${m[2]}`, start: start.toJSDate(), end: start.plus({ weeks: 1 }).toJSDate() };
}

export function isoWeekOf(at: Date, zone: string): DigestWeek {
  const dt = DateTime.fromJSDate(at, { zone });
  return parseIsoWeek(`${dt.weekYear}-W${String(dt.weekNumber).padStart(2, '0')}`, zone);
}

export function previousWeeks(week: DigestWeek, n: number, zone: string): DigestWeek[] {
  const start = DateTime.fromJSDate(week.start, { zone });
  return Array.from({ length: n }, (_, i) => isoWeekOf(start.minus({ weeks: n - i }).toJSDate(), zone));
}

/** What the database aggregates for one ward and one week. */
export interface WardWeekAggregate {
  wardId: string;
  newCount: number;
  acknowledgedCount: number;
  resolvedCount: number;
  openCount: number;
  overdueCount: number;
  /** Median hours from opening to acknowledgement and to first response, per service. */
  medians: { serviceId: string; acknowledgeHours: number | null; respondHours: number | null }[];
  oldestOpen: { reference: string; serviceId: string | null; openedAt: Date; summary: string; status: string }[];
  topTopics: { topic: string; count: number }[];
  /** Cases opened in each of the previous 4 weeks, oldest first. */
  trend: { week: string; newCount: number }[];
}

export interface WardDigest {
  ward: { id: string; name: string };
  week: string;
  counts: { new: number; acknowledged: number; resolved: number; open: number; overdue: number };
  trend: { week: string; newCount: number }[];
  trendNote: string;
  medians: { service: string; acknowledgeHours: number | null; respondHours: number | null }[];
  oldestOpen: { reference: string; service: string; ageDays: number; summary: string | null; status: string }[];
  topIssues: { topic: string; count: number }[];
}

/** Pure: aggregates + catalogue → the platform-neutral digest. Restricted services are counted, not described. */
export function buildWardDigest(agg: WardWeekAggregate, index: CatalogueIndex, week: DigestWeek): WardDigest {
  const serviceName = (id: string | null) => (id ? index.service(id)?.name ?? id : 'Not yet known');
  const restricted = (id: string | null) => !!id && !!index.service(id)?.restricted;
  const avg = agg.trend.length ? agg.trend.reduce((s, t) => s + t.newCount, 0) / agg.trend.length : 0;
  return {
    ward: { id: agg.wardId, name: index.ward(agg.wardId)?.name ?? agg.wardId },
    week: week.id,
    counts: { new: agg.newCount, acknowledged: agg.acknowledgedCount, resolved: agg.resolvedCount, open: agg.openCount, overdue: agg.overdueCount },
    trend: [...agg.trend, { week: week.id, newCount: agg.newCount }],
    trendNote: trendNote(agg.newCount, avg),
    medians: agg.medians.map((m) => ({ service: serviceName(m.serviceId), acknowledgeHours: round1(m.acknowledgeHours), respondHours: round1(m.respondHours) })),
    oldestOpen: agg.oldestOpen.map((c) => ({
      reference: c.reference, service: serviceName(c.serviceId), status: c.status,
      ageDays: Math.floor((week.end.getTime() - c.openedAt.getTime()) / 86_400_000),
      // A digest goes to a list of subscribers: restricted services are counted, never described.
      summary: mayDescribe(null, null, restricted(c.serviceId)) ? c.summary : null,
    })),
    topIssues: agg.topTopics,
  };
}

function trendNote(now: number, avg: number): string {
  if (avg === 0) return now === 0 ? 'No cases this week or in the four before.' : `${now} new, none in the four weeks before.`;
  const change = Math.round(((now - avg) / avg) * 100);
  if (Math.abs(change) < 10) return `About the same as the 4-week average (${avg.toFixed(1)}).`;
  return `${Math.abs(change)}% ${change > 0 ? 'more' : 'fewer'} new cases than the 4-week average (${avg.toFixed(1)}).`;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
