import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents } from '../../src/db/tables.js';
import type { Person } from '../../src/directory/person.js';
import type { Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { openSeededCore } from '../support/seed.js';

let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-11-02T10:00:00Z');
const who = (email: string) => people.get(`${email}@birmingham.example`)!.id;

beforeAll(async () => {
  ({ core, people } = await openSeededCore({ clock }));
});
afterAll(async () => { await core?.close(); });

const draft = {
  serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent: false,
  topic: 'fly-tipping', location: 'Slade Road', summary: 'Fly-tipping on Slade Road', description: 'fly-tipping again on Slade Road, Erdington',
};

async function eventsOf(caseId: string) {
  return core.dbh.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
}

describe('the case lifecycle', () => {
  it('opens, routes to the ward RM and stores the decision and the due times', async () => {
    const c = await core.cases.openCase(who('cllr.erd'), draft);
    expect(c.reference).toMatch(/^WL-\d{6}$/);
    expect(c.status).toBe('routed');
    expect(c.assigneeId).toBe(who('rm.ward'));
    expect(c.routing).toMatchObject({ kind: 'routed', scope: 'ward', version: 1 });
    expect(c.acknowledgeBy?.toISOString()).toBe('2026-11-03T17:00:00.000Z');
    expect(await eventsOf(c.id)).toHaveLength(1);
  });

  it('walks acknowledge → update → resolve → close, one event per change', async () => {
    let c = await core.cases.openCase(who('cllr.erd'), draft);
    c = await core.cases.acknowledge(c.id, who('rm.ward'));
    expect(c.status).toBe('acknowledged');
    c = await core.cases.addUpdate(c.id, who('rm.ward'), 'Crew booked for Thursday');
    expect(c.status).toBe('in_progress');
    c = await core.cases.addUpdate(c.id, who('cllr.erd'), 'Thank you, residents are relieved');
    expect(c.status).toBe('in_progress');
    c = await core.cases.resolve(c.id, who('rm.ward'), 'Cleared and enforcement letter sent');
    expect(c.status).toBe('resolved');
    c = await core.cases.close(c.id, who('rm.ward'));
    expect(c.status).toBe('closed');
    const events = await eventsOf(c.id);
    expect(events.map((e) => e.type)).toEqual(['opened', 'acknowledged', 'update', 'update', 'resolved', 'closed']);
  });

  it('pauses the clock while information is needed and extends the due times', async () => {
    let c = await core.cases.openCase(who('cllr.erd'), draft);
    const due = c.respondBy!.getTime();
    c = await core.cases.requestInfo(c.id, who('rm.ward'), 'Which end of Slade Road?');
    expect(c.status).toBe('needs_info');
    clock.advance(8 * 3600_000); // 10:00 → 18:00: seven working hours pass
    c = await core.cases.provideInfo(c.id, who('cllr.erd'), 'By the railway bridge');
    expect(c.status).toBe('routed');
    expect(c.respondBy!.getTime()).toBeGreaterThan(due);
    clock.set('2026-11-02T10:00:00Z');
  });

  it('refuses an invalid transition with a coded error and writes nothing', async () => {
    const c = await core.cases.openCase(who('cllr.erd'), draft);
    await expect(core.cases.resolve(c.id, who('rm.ward'), 'x').then(() => core.cases.acknowledge(c.id, who('rm.ward'))))
      .rejects.toMatchObject({ code: 'case.invalid_transition' });
    expect((await eventsOf(c.id)).map((e) => e.type)).toEqual(['opened', 'resolved']);
  });

  it('refuses actions by people without the right', async () => {
    const c = await core.cases.openCase(who('cllr.erd'), draft);
    await expect(core.cases.acknowledge(c.id, who('rm.district'))).rejects.toMatchObject({ code: 'case.forbidden' });
    await expect(core.cases.resolve(c.id, who('cllr.kings'), 'done')).rejects.toMatchObject({ code: 'case.forbidden' });
    expect(await eventsOf(c.id)).toHaveLength(1);
  });

  it('lets the councillor reopen within 14 days of resolution but not after', async () => {
    let c = await core.cases.openCase(who('cllr.erd'), draft);
    c = await core.cases.resolve(c.id, who('rm.ward'), 'cleared');
    clock.advance(3 * 86400_000);
    c = await core.cases.reopen(c.id, who('cllr.erd'), 'It is back');
    expect(c.status).toBe('reopened');
    c = await core.cases.resolve(c.id, who('rm.ward'), 'cleared again');
    clock.advance(15 * 86400_000);
    await expect(core.cases.reopen(c.id, who('cllr.erd'), 'again')).rejects.toMatchObject({ code: 'case.forbidden' });
    clock.set('2026-11-02T10:00:00Z');
  });

  it('reroutes a wrong route to the new RM and back to routed', async () => {
    let c = await core.cases.openCase(who('cllr.erd'), draft);
    c = await core.cases.acknowledge(c.id, who('rm.ward'));
    c = await core.cases.reroute(c.id, who('rm.ward'), { serviceId: asServiceId('street-cleaning') }, 'This is litter');
    expect(c.status).toBe('routed');
    expect(c.serviceId).toBe('street-cleaning');
    expect(c.assigneeId).toBe(who('rm.city'));
    expect(c.acknowledgedAt).toBeNull();
  });

  it('sends an unroutable case to the triage owner, never dropping it', async () => {
    const c = await core.cases.openCase(who('cllr.erd'), { ...draft, serviceId: asServiceId('libraries') });
    expect(c.status).toBe('new');
    expect(c.assigneeId).toBe(who('admin'));
    expect(c.routing).toMatchObject({ kind: 'unrouted' });
    const r = await core.cases.reassign(c.id, who('admin'), who('rm.city'));
    expect(r.status).toBe('routed');
    await expect(core.cases.reassign(c.id, who('admin'), who('cllr.kings'))).rejects.toMatchObject({ code: 'case.invalid_input' });
  });

  it('lets only one of two simultaneous acknowledgements through', async () => {
    const c = await core.cases.openCase(who('cllr.erd'), draft);
    const results = await Promise.allSettled([
      core.cases.acknowledge(c.id, who('rm.ward'), { expectedStatus: 'routed' }),
      core.cases.acknowledge(c.id, who('rm.city'), { expectedStatus: 'routed' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await eventsOf(c.id)).filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('rejects unknown wards and services', async () => {
    await expect(core.cases.openCase(who('cllr.erd'), { ...draft, wardId: asWardId('atlantis') })).rejects.toMatchObject({ code: 'catalogue.unknown_ward' });
    await expect(core.cases.openCase(who('cllr.erd'), { ...draft, serviceId: asServiceId('magic') })).rejects.toMatchObject({ code: 'catalogue.unknown_service' });
  });
});
