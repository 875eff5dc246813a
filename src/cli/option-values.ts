import { AppError } from '../shared/errors.js';
import { DATE_FORMAT, DATE_TIME_FORMAT, parseCalendarDate, parseDateTime } from '../shared/iso-dates.js';

/** `--since 2026-11-01`: a calendar date that exists, or a clear refusal saying what to type. */
export function dateOption(flag: string, text: string): string {
  const r = parseCalendarDate(text);
  if (!r.ok) throw new AppError('input.invalid', `${flag} "${text}" is not a date${because(r.problem)}; write it as ${DATE_FORMAT}.`);
  return r.value;
}

/** `--at 2026-12-24T16:00:00Z`: an ISO 8601 date and time; without an offset it is council time. */
export function dateTimeOption(flag: string, text: string, zone: string): Date {
  const r = parseDateTime(text, zone);
  if (!r.ok) throw new AppError('input.invalid', `${flag} "${text}" is not an ISO 8601 time${because(r.problem)}; write it as ${DATE_TIME_FORMAT} (without Z or an offset it is ${zone} time).`);
  return r.value;
}

const because = (problem: string | undefined) => (problem ? ` (${problem})` : '');

/** `--limit 50`: a whole number from 1. */
export function positiveIntOption(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new AppError('input.invalid', `${flag} ${text} is not a positive whole number.`);
  return n;
}
