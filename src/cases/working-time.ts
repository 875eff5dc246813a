import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/**
 * Working time in the council's zone: working days (default Monday–Friday) between working
 * hours (default 09:00–17:00), outside England & Wales bank holidays (substitute days included).
 * DST-correct: hours are wall-clock hours in the zone.
 */
export interface WorkingCalendarOptions {
  zone: string;
  startHour: number;
  endHour: number;
  /** ISO weekdays, Monday = 1. */
  workingDays?: number[];
  /** Extra closed dates (YYYY-MM-DD), e.g. a council closure day. */
  extraClosedDates?: string[];
  /** date-holidays country and region; default GB / ENG. */
  holidayRegion?: [string, string];
}

export interface WorkingCalendar {
  readonly zone: string;
  isWorkingDay(date: string): boolean;
  isWorkingTime(d: Date): boolean;
  /** d itself when it is working time, otherwise the start of the next working period. */
  nextWorkingStart(d: Date): Date;
  /** The end of the working day d falls on (or of the next working day when d's day is not one). */
  endOfWorkingDay(d: Date): Date;
  addWorkingHours(d: Date, hours: number): Date;
  addWorkingMillis(d: Date, ms: number): Date;
  /** The end of the n-th working day after d's date: n = 1 is "by the end of the next working day". */
  addWorkingDays(d: Date, n: number): Date;
  workingMillisBetween(a: Date, b: Date): number;
  /** d's date in the zone, YYYY-MM-DD. */
  localDate(d: Date): string;
}

export function createWorkingCalendar(opts: WorkingCalendarOptions): WorkingCalendar {
  const { zone, startHour, endHour } = opts;
  const days = new Set(opts.workingDays ?? [1, 2, 3, 4, 5]);
  const extra = new Set(opts.extraClosedDates ?? []);
  const [country, region] = opts.holidayRegion ?? ['GB', 'ENG'];
  const hd = new Holidays(country, region);
  const byYear = new Map<number, Set<string>>();

  const holidaysOf = (year: number): Set<string> => {
    let set = byYear.get(year);
    if (!set) {
      set = new Set(hd.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      byYear.set(year, set);
    }
    return set;
  };
  const dt = (d: Date): DateTime => DateTime.fromJSDate(d, { zone });
  const isWorkingDayDt = (x: DateTime) => {
    const iso = x.toISODate()!;
    return days.has(x.weekday) && !extra.has(iso) && !holidaysOf(x.year).has(iso);
  };
  const at = (day: DateTime, hour: number) => day.startOf('day').set({ hour }).toJSDate();
  const nextWorkingDay = (day: DateTime): DateTime => {
    let x: DateTime = day.startOf('day').plus({ days: 1 });
    for (let i = 0; i < 3660 && !isWorkingDayDt(x); i++) x = x.plus({ days: 1 });
    return x;
  };

  const isWorkingTime = (d: Date) => {
    const x = dt(d);
    return isWorkingDayDt(x) && d >= at(x, startHour) && d < at(x, endHour);
  };

  const nextWorkingStart = (d: Date): Date => {
    if (isWorkingTime(d)) return d;
    const x = dt(d);
    if (isWorkingDayDt(x) && d < at(x, startHour)) return at(x, startHour);
    return at(nextWorkingDay(x), startHour);
  };

  const addWorkingMillis = (d: Date, ms: number): Date => {
    if (ms <= 0) return d;
    let cursor = nextWorkingStart(d);
    let left = ms;
    for (let i = 0; i < 100_000; i++) {
      const dayEnd = at(dt(cursor), endHour);
      const avail = dayEnd.getTime() - cursor.getTime();
      if (left <= avail) return new Date(cursor.getTime() + left);
      left -= avail;
      cursor = at(nextWorkingDay(dt(cursor)), startHour);
    }
    throw new RangeError('addWorkingMillis: span too large');
  };

  return {
    zone,
    isWorkingDay: (date) => isWorkingDayDt(DateTime.fromISO(date, { zone })),
    isWorkingTime,
    nextWorkingStart,
    endOfWorkingDay: (d) => {
      const x = dt(d);
      return at(isWorkingDayDt(x) ? x : nextWorkingDay(x), endHour);
    },
    addWorkingHours: (d, hours) => addWorkingMillis(d, Math.round(hours * 3_600_000)),
    addWorkingMillis,
    addWorkingDays: (d, n) => {
      let x: DateTime = dt(d);
      for (let i = 0; i < n; i++) x = nextWorkingDay(x);
      return at(n > 0 ? x : (isWorkingDayDt(x) ? x : nextWorkingDay(x)), endHour);
    },
    workingMillisBetween: (a, b) => {
      if (b <= a) return 0;
      let total = 0;
      let day: DateTime = dt(a).startOf('day');
      for (let i = 0; i < 100_000 && day.toJSDate() < b; i++) {
        if (isWorkingDayDt(day)) {
          const s = Math.max(at(day, startHour).getTime(), a.getTime());
          const e = Math.min(at(day, endHour).getTime(), b.getTime());
          if (e > s) total += e - s;
        }
        day = day.plus({ days: 1 });
      }
      return total;
    },
    localDate: (d) => dt(d).toISODate()!,
  };
}

/** A due time pushed back by the working time that passed while the case waited for information. */
export function extendForPause(cal: WorkingCalendar, due: Date, pausedAt: Date, resumedAt: Date): Date {
  return cal.addWorkingMillis(due, cal.workingMillisBetween(pausedAt, resumedAt));
}
