import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { intakeCorrections } from '../../src/db/tables.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle & { url: string };
let env: Record<string, string>;
beforeAll(async () => {
  dbh = await createTestDatabase();
  env = { DATABASE_URL: dbh.url };
  expect((await runCli(['seed', '--demo'], { env })).code).toBe(0);
});
afterAll(async () => { await dbh?.close(); });

describe('wardline intake corrections', () => {
  it('says so when there are none', async () => {
    const r = await runCli(['intake', 'corrections'], { env });
    expect([r.code, r.stdout.trim()]).toEqual([0, 'No corrections yet: nobody has changed a case\'s ward or service after intake.']);
  });

  it('lists corrections with suggested aliases and vocabulary, as text and JSON', async () => {
    const at = new Date('2026-11-20T10:00:00Z');
    await dbh.db.insert(intakeCorrections).values([
      { text: 'Abandoned trolleys dumped in the brook off Wheelwright Road again', originalWardId: 'erdington', originalServiceId: 'waste-enforcement', correctedWardId: 'erdington', correctedServiceId: 'street-cleaning', at },
      { text: 'More abandoned trolleys by the canal towpath', originalWardId: 'erdington', originalServiceId: 'waste-enforcement', correctedWardId: 'erdington', correctedServiceId: 'street-cleaning', at },
      { text: 'Flooding on Brookvale Road by the park', originalWardId: 'erdington', originalServiceId: 'highways-maintenance', correctedWardId: 'stockland-green', correctedServiceId: 'highways-maintenance', at },
    ]);
    // The location a ward correction suggests as an alias comes from the case; without one there is none.
    const r = await runCli(['intake', 'corrections'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^3 corrections:/);
    expect(r.stdout).toContain('service waste-enforcement → street-cleaning\tward erdington');
    expect(r.stdout).toContain('ward erdington → stockland-green');
    expect(r.stdout).toMatch(/street-cleaning: "abandoned trolleys"\t\(2×\)/);

    const json = JSON.parse((await runCli(['intake', 'corrections', '--json'], { env })).stdout) as { corrections: unknown[]; suggestions: { kind: string; phrase?: string; serviceId?: string }[] };
    expect(json.corrections).toHaveLength(3);
    expect(json.suggestions[0]).toEqual({ kind: 'vocabulary', phrase: 'abandoned trolleys', serviceId: 'street-cleaning', count: 2 });
  });

  it('refuses a bad --since or --limit with what to type', async () => {
    const r = await runCli(['intake', 'corrections', '--since', 'last week'], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--since "last week" is not a date; write it as YYYY-MM-DD/);
    const feb = await runCli(['intake', 'corrections', '--since', '2026-02-30'], { env });
    expect(feb.stderr.trim()).toBe('wardline: --since "2026-02-30" is not a date (February 2026 has 28 days); write it as YYYY-MM-DD, e.g. 2026-12-24.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['intake', 'corrections', '--limit', '0'], { env })).stderr).toMatch(/positive whole number/);
  }, 60_000); // three CLI runs: seconds each on a busy machine
});
