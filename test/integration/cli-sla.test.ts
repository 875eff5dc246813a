import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';
import type { DbHandle } from '../../src/db/client.js';

let dbh: DbHandle & { url: string };
beforeAll(async () => { dbh = await createTestDatabase(); });
afterAll(async () => { await dbh?.close(); });

describe('wardline sla due', () => {
  it('skips Christmas, the substitute Boxing Day and New Year\'s Day', async () => {
    const r = await runCli(['sla', 'due', '--service', 'refuse-collection', '--at', '2026-12-24T16:00:00Z'], { env: { DATABASE_URL: dbh.url } });
    expect(r.code, r.stderr).toBe(0);
    const due = JSON.parse(r.stdout) as { acknowledgeBy: string; respondBy: string };
    // Opened at 16:00 on Thursday 24 Dec; the next working day is Tuesday 29 Dec.
    expect(due.acknowledgeBy).toBe('2026-12-29T17:00:00.000+00:00');
    // Ten working days: 29, 30, 31 Dec, 4–8 Jan, 11, 12 Jan (1 Jan is a bank holiday).
    expect(due.respondBy).toBe('2027-01-12T17:00:00.000+00:00');
  });

  it('gives the urgent policy in working hours', async () => {
    const r = await runCli(['sla', 'due', '--service', 'community-safety', '--urgent', '--at', '2026-07-03T15:30:00Z'], { env: { DATABASE_URL: dbh.url } });
    expect(r.code, r.stderr).toBe(0);
    const due = JSON.parse(r.stdout) as { acknowledgeBy: string };
    // 16:30 BST on Friday: 30 minutes that day, 90 the next working morning (Monday).
    expect(due.acknowledgeBy).toBe('2026-07-06T10:30:00.000+01:00');
  });

  it('rejects an unknown service and a bad time', async () => {
    const a = await runCli(['sla', 'due', '--service', 'nope'], { env: { DATABASE_URL: dbh.url } });
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/There is no service "nope"/);
    const b = await runCli(['sla', 'due', '--service', 'parks', '--at', 'tomorrow'], { env: { DATABASE_URL: dbh.url } });
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/not an ISO 8601 time/);
  });

  it('refuses 30 February instead of taking it as 2 March, and says what to write', async () => {
    const r = await runCli(['sla', 'due', '--service', 'parks', '--at', '2026-02-30T10:00:00Z'], { env: { DATABASE_URL: dbh.url } });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.trim()).toBe('wardline: --at "2026-02-30T10:00:00Z" is not an ISO 8601 time (February 2026 has 28 days); '
      + 'write it as YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], e.g. 2026-12-24T16:00:00Z (without Z or an offset it is Europe/London time).');
  });

  it('takes a time without an offset as council time', async () => {
    const r = await runCli(['sla', 'due', '--service', 'community-safety', '--urgent', '--at', '2026-07-03T16:30'], { env: { DATABASE_URL: dbh.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ openedAt: '2026-07-03T16:30:00.000+01:00', acknowledgeBy: '2026-07-06T10:30:00.000+01:00' });
  });
});
