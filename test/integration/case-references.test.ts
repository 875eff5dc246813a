import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseService } from '../../src/cases/case-service.js';
import { createCaseStore } from '../../src/db/case-store.js';
import type { Person } from '../../src/directory/person.js';
import type { Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { openSeededCore } from '../support/seed.js';

let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  ({ core, people } = await openSeededCore({ clock }));
});
afterAll(async () => { await core?.close(); });

const draft = { serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent: false, summary: 'Fly-tipping', description: 'Fly-tipping on Slade Road' };
const cllr = () => people.get('cllr.erd@birmingham.example')!.id;

describe('case references', () => {
  it('have no gap after an open that was rolled back, and none when cases open at once', async () => {
    const first = await core.cases.openCase(cllr(), draft);
    const failing = createCaseService({
      store: createCaseStore(core.dbh.db), clock, calendar: core.calendar, loadContext: core.loadContext,
      notify: async () => { throw new Error('the notifier failed'); },
    });
    await expect(failing.openCase(cllr(), draft)).rejects.toThrow('the notifier failed');
    const together = await Promise.all(Array.from({ length: 6 }, () => core.cases.openCase(cllr(), draft)));
    const numbers = [first, ...together].map((c) => c.seq).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 7 }, (_, i) => first.seq + i));
    expect(first.reference).toBe('WL-000001');
  });
});
