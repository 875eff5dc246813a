import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_SETTINGS, planSlaCheck } from '../../src/cases/sla-plan.js';
import { caseEvents, cases, slaChecks, slaNotifications } from '../../src/db/tables.js';
import type { Person } from '../../src/directory/person.js';
import { runSlaSweep, type SlaNotifier } from '../../src/jobs/sla-sweep.js';
import type { Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { openSeededCore } from '../support/seed.js';

let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-11-23T10:00:00Z'); // Monday 10:00
const sentTo: string[] = [];
const notify: SlaNotifier = ({ caseRecord, action }) => {
  sentTo.push(`${action.kind}:${caseRecord.reference}`);
  return [{ idempotencyKey: `sla:${caseRecord.id}:${action.kind}:${action.dueAt.toISOString()}`, platform: 'local', target: 'test', payload: { kind: action.kind } }];
};
const sweep = () => runSlaSweep({ db: core.dbh.db, clock, calendar: core.calendar, settings: DEFAULT_REMINDER_SETTINGS, loadContext: core.loadContext, notify });

beforeAll(async () => {
  ({ core, people } = await openSeededCore({ clock }));
});
afterAll(async () => { await core?.close(); });

const id = (e: string) => people.get(`${e}@birmingham.example`)!.id;
const open = (urgent = false) => core.cases.openCase(id('cllr.erd'), {
  serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent, summary: 'Fly-tipping', description: 'Fly-tipping on Slade Road',
});

describe('the SLA sweep', () => {
  it('reminds before acknowledge-by, escalates on the breach and then to the senior officer, each once', async () => {
    clock.set('2026-11-23T10:00:00Z');
    const c = await open();
    expect(c.acknowledgeBy?.toISOString()).toBe('2026-11-24T17:00:00.000Z');
    await sweep(); // plans the next check
    clock.set('2026-11-24T13:30:00Z'); // 3.5 hours before the deadline
    await sweep();
    await sweep();
    clock.set('2026-11-24T17:05:00Z');
    await sweep();
    clock.set('2026-11-25T17:05:00Z'); // a working day after the breach
    await sweep();
    const kinds = (await core.dbh.db.select().from(slaNotifications).where(eq(slaNotifications.caseId, c.id))).map((n) => n.kind).sort();
    expect(kinds).toEqual(['breach_acknowledge', 'escalate_senior', 'remind_acknowledge']);
    const [row] = await core.dbh.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row!.escalationLevel).toBe(2);
    const events = (await core.dbh.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id))).map((e) => e.type);
    expect(events).toEqual(['opened', 'reminded', 'escalated', 'escalated']);
    expect(sentTo.filter((s) => s.endsWith(c.reference))).toHaveLength(3);
  });

  it('stops looking at a case once it is resolved', async () => {
    clock.set('2026-11-23T10:00:00Z');
    const c = await open();
    await core.cases.resolve(c.id, id('rm.ward'), 'Cleared');
    expect(await core.dbh.db.select().from(slaChecks).where(eq(slaChecks.caseId, c.id))).toHaveLength(0);
  });

  it('does nothing when nothing is due, and says when the next check falls due', async () => {
    clock.set('2026-11-23T10:00:00Z');
    await sweep();
    const before = sentTo.length;
    const r = await sweep();
    expect([r.checked, r.actions]).toEqual([0, 0]);
    expect(r.nextDueAt!.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(sentTo.length).toBe(before);
  });
});

describe('planSlaCheck', () => {
  const base = { status: 'routed' as const, acknowledgedAt: null, respondedAt: null, respondBy: null };
  it('holds a non-urgent reminder that falls out of hours until the next working morning, but not an urgent one', () => {
    const settings = { ...DEFAULT_REMINDER_SETTINGS, leadHours: 10, urgentLeadHours: 10 };
    const due = new Date('2026-11-24T17:00:00Z');
    const normal = planSlaCheck({ ...base, urgency: 'normal', acknowledgeBy: due }, new Date('2026-11-24T07:30:00Z'), core.calendar, settings, new Set());
    expect(normal.actions).toEqual([]);
    expect(normal.nextCheckAt?.toISOString()).toBe('2026-11-24T09:00:00.000Z');
    const urgent = planSlaCheck({ ...base, urgency: 'urgent', acknowledgeBy: due }, new Date('2026-11-24T07:30:00Z'), core.calendar, settings, new Set());
    expect(urgent.actions.map((a) => a.kind)).toEqual(['remind_acknowledge']);
  });
});
