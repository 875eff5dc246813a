import { DateTime } from 'luxon';

/** A dashboard year in council time: 1 January to 1 January (or to now in the current year). */
export interface TrackerYear {
  year: number;
  from: Date;
  to: Date;
}

export function yearRange(year: number, zone: string): TrackerYear {
  const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
  return { year, from: start.toJSDate(), to: start.plus({ years: 1 }).toJSDate() };
}

/** Every Monday in the year up to `now`, each with its figures (zero when there were none). */
export function fillWeeks(
  weeks: { weekStart: string; newCount: number; resolvedCount: number }[], range: TrackerYear, now: Date, zone: string,
): { weekStart: string; label: string; newCount: number; resolvedCount: number }[] {
  const byStart = new Map(weeks.map((w) => [w.weekStart, w]));
  const out: { weekStart: string; label: string; newCount: number; resolvedCount: number }[] = [];
  const end = DateTime.fromJSDate(new Date(Math.min(range.to.getTime(), now.getTime())), { zone });
  let d = DateTime.fromJSDate(range.from, { zone }).startOf('week');
  while (d <= end) {
    const key = d.toISODate()!;
    const w = byStart.get(key);
    out.push({ weekStart: key, label: `W${String(d.weekNumber).padStart(2, '0')}`, newCount: w?.newCount ?? 0, resolvedCount: w?.resolvedCount ?? 0 });
    d = d.plus({ weeks: 1 });
  }
  return out;
}

export const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** A rate as a whole percentage, or null when nothing was due. */
export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((100 * part) / whole) : null);

export function formatHours(h: number | null): string {
  if (h === null) return '–';
  if (h < 48) return `${round1(h)} h`;
  return `${round1(h / 24)} days`;
}

/** "12 (city average per ward 9.4)": an area's figure beside the city's per-ward average. */
export function perWardAverage(cityTotal: number, wardCount: number): number {
  return wardCount > 0 ? Math.round((10 * cityTotal) / wardCount) / 10 : 0;
}
