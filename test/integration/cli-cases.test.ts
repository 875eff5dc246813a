import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openCore, type Core } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';

let core: Core;
let env: Record<string, string>;
let reference: string;
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  env = { DATABASE_URL: db.url };
  expect((await runCli(['seed', '--demo'], { env })).code).toBe(0);
  core = await openCore(loadConfig(env), createLogger('silent'));
  const cllr = (await core.loadContext()).directory.byEmail.get('cllr.hussain@birmingham.example')!;
  const c = await core.cases.openCase(cllr.id as never, {
    serviceId: asServiceId('waste-enforcement'), wardId: asWardId('erdington'), urgent: false, location: 'Slade Road',
    summary: 'Fly-tipping on Slade Road', description: 'Fly-tipping again on Slade Road, Erdington',
  });
  reference = c.reference;
});
afterAll(async () => { await core?.close(); });

describe('wardline cases and case', () => {
  it('lists cases as text and JSON', async () => {
    const text = await runCli(['cases', 'list'], { env });
    expect(text.stdout).toMatch(new RegExp(`^${reference}\\trouted\\twaste-enforcement\\terdington\\tFly-tipping on Slade Road`, 'm'));
    const json = JSON.parse((await runCli(['cases', 'list', '--json'], { env })).stdout) as { reference: string; status: string }[];
    expect(json.map((c) => [c.reference, c.status])).toEqual([[reference, 'routed']]);
  });

  it('shows one case with its timeline, as `case REF` and `case show REF`', async () => {
    const a = await runCli(['case', reference], { env });
    const b = await runCli(['case', 'show', reference], { env });
    expect(a.code, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toContain(reference);
    expect(a.stdout).toMatch(/opened/);
    const bad = await runCli(['case', 'show', 'nonsense'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/^(wardline: )?"nonsense" is not a case reference; they look like WL-000123.$/);
  });
});
