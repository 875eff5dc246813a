import { DateTime } from 'luxon';

/**
 * Strict ISO 8601 dates and date-times as people type them on the command line and in CSV files.
 * `new Date()` and `Date.parse` quietly roll 30 February over to 2 March; these refuse it and say why.
 */
/** `problem` says what is wrong when the text has the right form but names no real day or time. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem?: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export const DATE_FORMAT = 'YYYY-MM-DD, e.g. 2026-12-24';
export const DATE_TIME_FORMAT = 'YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], e.g. 2026-12-24T16:00:00Z';

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function checkDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  return null;
}

/** A calendar date `YYYY-MM-DD` that exists, kept as that text. */
export function parseCalendarDate(text: string): Parsed<string> {
  const m = DATE.exec(text.trim());
  if (!m) return { ok: false };
  const problem = checkDay(Number(m[1]), Number(m[2]), Number(m[3]));
  return problem ? { ok: false, problem } : { ok: true, value: m[0] };
}

/**
 * A date and time. With `Z` or an offset it is that instant; without, it is wall-clock time in
 * `zone` (the council's). Hours 00–23, minutes and seconds 00–59.
 */
export function parseDateTime(text: string, zone: string): Parsed<Date> {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return { ok: false };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const millisecond = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const dayProblem = checkDay(year, month, day);
  if (dayProblem) return { ok: false, problem: dayProblem };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day (00:00 to 23:59:59)` };
  const offset = m[8];
  if (offset === undefined) {
    const local = DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone });
    return local.isValid ? { ok: true, value: local.toJSDate() } : { ok: false, problem: `${zone} is not a time zone` };
  }
  const offsetMinutes = offset === 'Z' ? 0 : offsetToMinutes(offset);
  if (offsetMinutes === null) return { ok: false, problem: `${offset} is not a UTC offset (from -23:59 to +23:59)` };
  return { ok: true, value: new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000) };
}

function offsetToMinutes(offset: string): number | null {
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return null;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
