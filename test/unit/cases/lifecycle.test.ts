import { describe, expect, it } from 'vitest';
import { assertTransition, CASE_ACTIONS, TRANSITIONS, transition } from '../../../src/cases/lifecycle.js';
import { formatReference, parseReference } from '../../../src/cases/reference.js';
import { computeDueTimes, DEFAULT_SLA_POLICIES, formatLondonIso } from '../../../src/cases/sla.js';
import { createWorkingCalendar } from '../../../src/cases/working-time.js';
import { CASE_STATUSES } from '../../../src/shared/enums.js';
import { asServiceId } from '../../../src/shared/ids.js';

describe('the case lifecycle table', () => {
  it('answers every status × action pair: a target status or a coded refusal', () => {
    for (const status of CASE_STATUSES) {
      for (const action of CASE_ACTIONS) {
        const r = transition(status, action, 'acknowledged');
        if (TRANSITIONS[action][status]) expect(r.ok && CASE_STATUSES.includes(r.to)).toBe(true);
        else expect(() => assertTransition(status, action, 'WL-000001')).toThrow(expect.objectContaining({ code: 'case.invalid_transition' }));
      }
    }
  });

  it('makes closed final and returns from needs_info to where the case was', () => {
    for (const action of CASE_ACTIONS) expect(transition('closed', action).ok).toBe(false);
    expect(transition('needs_info', 'provideInfo', 'in_progress')).toEqual({ ok: true, to: 'in_progress' });
    expect(transition('acknowledged', 'reroute')).toEqual({ ok: true, to: 'routed' });
    expect(transition('resolved', 'reopen')).toEqual({ ok: true, to: 'reopened' });
  });
});

describe('case references', () => {
  it('formats and reads WL-000123 in the ways people type it', () => {
    expect(formatReference(123)).toBe('WL-000123');
    for (const s of ['WL-000123', 'wl-123', 'WL000123', 'wl 123']) expect(parseReference(s)).toBe(123);
    for (const s of ['123', 'WL-', 'XL-000123', 'WL-0']) expect(parseReference(s)).toBeNull();
  });
});

describe('SLA due times', () => {
  const cal = createWorkingCalendar({ zone: 'Europe/London', startHour: 9, endHour: 17 });
  it('lets a service override the default policy', () => {
    const policies = [...DEFAULT_SLA_POLICIES, { serviceId: asServiceId('parks'), urgency: 'normal' as const, acknowledge: { unit: 'hours' as const, amount: 4 }, respond: { unit: 'days' as const, amount: 5 } }];
    const at = new Date('2026-11-23T10:00:00Z');
    const parks = computeDueTimes(cal, policies, { serviceId: asServiceId('parks'), urgent: false, openedAt: at });
    expect(formatLondonIso(parks.acknowledgeBy)).toBe('2026-11-23T14:00:00.000+00:00');
    expect(formatLondonIso(parks.respondBy)).toBe('2026-11-30T17:00:00.000+00:00');
    const other = computeDueTimes(cal, policies, { serviceId: asServiceId('libraries'), urgent: false, openedAt: at });
    expect(formatLondonIso(other.acknowledgeBy)).toBe('2026-11-24T17:00:00.000+00:00');
  });

  it('writes an instant with its zone\'s offset, each zone and season its own, however often it is asked', () => {
    const summer = new Date('2026-07-01T16:00:00Z');
    const winter = new Date('2026-12-01T17:00:00Z');
    for (let i = 0; i < 3; i++) {
      expect(formatLondonIso(summer)).toBe('2026-07-01T17:00:00.000+01:00');
      expect(formatLondonIso(winter)).toBe('2026-12-01T17:00:00.000+00:00');
      expect(formatLondonIso(summer, 'America/New_York')).toBe('2026-07-01T12:00:00.000-04:00');
      expect(formatLondonIso(new Date(summer))).toBe('2026-07-01T17:00:00.000+01:00');
    }
    // More instants than are remembered: the early ones are still written right.
    for (let m = 0; m < 2000; m++) expect(formatLondonIso(new Date(Date.UTC(2026, 2, 29, 0, m)))).toBe(isoByHand(Date.UTC(2026, 2, 29, 0, m)));
    expect(formatLondonIso(new Date(Number.NaN))).toBe('invalid date');
  });
});

/** The same instant written independently: UTC before 01:00 on 29 March 2026, BST from then. */
function isoByHand(ms: number): string {
  const bst = ms >= Date.UTC(2026, 2, 29, 1, 0);
  const local = new Date(ms + (bst ? 3_600_000 : 0)).toISOString().slice(0, 23);
  return `${local}${bst ? '+01:00' : '+00:00'}`;
}
