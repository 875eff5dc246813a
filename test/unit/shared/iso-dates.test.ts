import { describe, expect, it } from 'vitest';
import { parseCalendarDate, parseDateTime } from '../../../src/shared/iso-dates.js';

const iso = (text: string, zone = 'Europe/London') => {
  const r = parseDateTime(text, zone);
  return r.ok ? r.value.toISOString() : r;
};

describe('strict ISO 8601 dates', () => {
  it('refuses days that do not exist, where Date would roll them into the next month', () => {
    expect(new Date('2026-02-30T10:00:00Z').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(iso('2026-02-30T10:00:00Z')).toEqual({ ok: false, problem: 'February 2026 has 28 days' });
    expect(iso('2026-04-31T10:00Z')).toEqual({ ok: false, problem: 'April 2026 has 30 days' });
    expect(iso('2026-00-10T10:00Z')).toEqual({ ok: false, problem: 'there is no month 0' });
    expect(parseCalendarDate('2026-02-29')).toEqual({ ok: false, problem: 'February 2026 has 28 days' });
    expect(parseCalendarDate('2028-02-29')).toEqual({ ok: true, value: '2028-02-29' });
  });

  it('refuses impossible times and offsets', () => {
    expect(iso('2026-02-10T24:00:00Z')).toMatchObject({ ok: false, problem: expect.stringMatching(/24:00:00 is not a time of day/) });
    expect(iso('2026-02-10T10:60Z')).toMatchObject({ ok: false });
    expect(iso('2026-02-10T10:00+24:00')).toMatchObject({ ok: false, problem: expect.stringMatching(/not a UTC offset/) });
  });

  it('refuses other shapes without a reason, so the caller shows the format', () => {
    for (const text of ['tomorrow', '2026-2-3T10:00Z', '2026-02-10', '2026-02-10 10:00Z', '20260210T1000Z', '']) {
      expect(iso(text)).toEqual({ ok: false });
    }
    expect(parseCalendarDate('10/02/2026')).toEqual({ ok: false });
  });

  it('reads Z, offsets and fractions as that instant, and a time without an offset as council time', () => {
    expect(iso('2026-12-24T16:00:00Z')).toBe('2026-12-24T16:00:00.000Z');
    expect(iso('2026-12-24T16:00:00.5+01:30')).toBe('2026-12-24T14:30:00.500Z');
    expect(iso('2026-12-24T16:00-0500')).toBe('2026-12-24T21:00:00.000Z');
    expect(iso('2026-07-03T16:30')).toBe('2026-07-03T15:30:00.000Z');
    expect(iso('2026-12-24T16:00')).toBe('2026-12-24T16:00:00.000Z');
    expect(iso('2026-07-03T16:30', 'America/New_York')).toBe('2026-07-03T20:30:00.000Z');
  });
});
