import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, extendForPause } from '../../../src/cases/working-time.js';

const cal = createWorkingCalendar({ zone: 'Europe/London', startHour: 9, endHour: 17 });
const H = 3_600_000;
const anyTime = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });
const hours = fc.double({ min: 0, max: 200, noNaN: true });

describe('the working-time calendar', () => {
  it('knows England and Wales bank holidays, substitute days included', () => {
    expect(cal.isWorkingDay('2026-12-25')).toBe(false);
    expect(cal.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day falls on Saturday
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2026-08-31')).toBe(false); // summer bank holiday (England)
    expect(cal.isWorkingDay('2026-12-29')).toBe(true);
    expect(cal.isWorkingDay('2026-11-21')).toBe(false); // a Saturday
  });

  it('moves time outside hours to the next working morning, in local time across DST', () => {
    expect(cal.nextWorkingStart(new Date('2026-03-27T18:00:00Z')).toISOString()).toBe('2026-03-30T08:00:00.000Z'); // Monday after the clocks go forward
    expect(cal.nextWorkingStart(new Date('2026-10-23T17:30:00Z')).toISOString()).toBe('2026-10-26T09:00:00.000Z'); // Monday after they go back
  });

  it('adds working hours across a weekend and across the DST change', () => {
    expect(cal.addWorkingHours(new Date('2026-03-27T15:00:00Z'), 3).toISOString()).toBe('2026-03-30T09:00:00.000Z'); // 10:00 BST
    expect(cal.addWorkingHours(new Date('2026-10-23T15:00:00Z'), 2).toISOString()).toBe('2026-10-26T10:00:00.000Z');
  });

  it('gives the end of the next working day', () => {
    expect(cal.addWorkingDays(new Date('2026-11-20T10:00:00Z'), 1).toISOString()).toBe('2026-11-23T17:00:00.000Z');
    expect(cal.addWorkingDays(new Date('2026-11-21T10:00:00Z'), 1).toISOString()).toBe('2026-11-23T17:00:00.000Z');
  });

  it('extends a due time by the working time spent waiting for information', () => {
    const due = new Date('2026-11-24T17:00:00Z');
    const later = extendForPause(cal, due, new Date('2026-11-23T16:00:00Z'), new Date('2026-11-24T10:00:00Z'));
    expect(later.toISOString()).toBe('2026-11-25T11:00:00.000Z'); // one hour on Monday, one on Tuesday
  });

  it('never goes backwards as hours are added (property)', () => {
    fc.assert(fc.property(anyTime, hours, hours, (d, a, b) => cal.addWorkingHours(d, a) <= cal.addWorkingHours(d, a + b)));
  });

  it('lands in working time or exactly at a day\'s end, never on a weekend or holiday (property)', () => {
    fc.assert(fc.property(anyTime, fc.double({ min: 0.01, max: 200, noNaN: true }), (d, h) => {
      const r = cal.addWorkingHours(d, h);
      const endOfDay = cal.endOfWorkingDay(new Date(r.getTime() - 1)).getTime() === r.getTime();
      return (cal.isWorkingTime(r) || endOfDay) && cal.isWorkingDay(cal.localDate(new Date(r.getTime() - 1)));
    }));
  });

  it('counts back exactly the working time it added (property)', () => {
    fc.assert(fc.property(anyTime, fc.integer({ min: 0, max: 200 * 60 }), (d, minutes) => {
      const start = cal.nextWorkingStart(d);
      return cal.workingMillisBetween(start, cal.addWorkingHours(start, minutes / 60)) === minutes * 60_000;
    }));
  });

  it('keeps working days whole across the DST boundaries (property)', () => {
    const dst = fc.constantFrom('2026-03-27T16:00:00Z', '2026-10-23T16:00:00Z', '2027-03-26T16:00:00Z', '2027-10-29T16:00:00Z');
    fc.assert(fc.property(dst, fc.integer({ min: 1, max: 10 }), (iso, days) => {
      const r = cal.addWorkingHours(new Date(iso), days * 8);
      return cal.workingMillisBetween(new Date(iso), r) === days * 8 * H;
    }));
  });
});
