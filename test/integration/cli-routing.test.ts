import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, importFixtureCsvs, runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';
import type { DbHandle } from '../../src/db/client.js';
import { listRoutingVersions } from '../../src/db/routing-repo.js';

let dbh: DbHandle & { url: string };
let env: Record<string, string>;

beforeAll(async () => {
  dbh = await createTestDatabase();
  env = { DATABASE_URL: dbh.url };
  await importFixtureCsvs(env);
}, 180_000);
afterAll(async () => { await dbh?.close(); });

const resolve = async (service: string, ward: string) => {
  const r = await runCli(['routes', 'resolve', '--service', service, '--ward', ward], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rm: { email: string } | null; rule: { scope: string } | null; version: number; wac: { email: string }[]; seniorOfficer: { email: string } | null; escalationManager: unknown; kind: string };
};

describe('wardline routes', () => {
  it('picks the ward rule over the cluster, district and city rules', async () => {
    const r = await resolve('waste-enforcement', 'erdington');
    expect(r.rm?.email).toBe('rm.ward@birmingham.example');
    expect(r.rule?.scope).toBe('ward');
    expect(r.wac.map((w) => w.email)).toEqual(['wac.north@birmingham.example']);
    expect(r.seniorOfficer?.email).toBe('so.erd@birmingham.example');
  });

  it('falls back to the cluster rule, then the district rule, then the city rule', async () => {
    expect((await resolve('waste-enforcement', 'gravelly-hill')).rule?.scope).toBe('cluster');
    expect((await resolve('waste-enforcement', 'kingstanding')).rule?.scope).toBe('district');
    const city = await resolve('waste-enforcement', 'ladywood');
    expect(city.rule?.scope).toBe('city');
    expect(city.rm?.email).toBe('rm.city@birmingham.example');
  });

  it('refuses an --on day that does not exist', async () => {
    const r = await runCli(['routes', 'resolve', '--service', 'waste-enforcement', '--ward', 'erdington', '--on', '2026-04-31'], { env });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.trim()).toBe('wardline: --on "2026-04-31" is not a date (April 2026 has 30 days); write it as YYYY-MM-DD, e.g. 2026-12-24.');
  });

  it('reports an unrouted service instead of failing', async () => {
    const r = await resolve('libraries', 'erdington');
    expect(r.kind).toBe('unrouted');
    expect(r.rm).toBeNull();
  });

  it('names every bad line of a routes file and changes nothing', async () => {
    const before = await listRoutingVersions(dbh.db);
    const r = await runCli(['routes', 'import', fixture('csv/routes-bad.csv')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 3:.*fly-tipping-squad/);
    expect(r.stderr).toMatch(/line 4:.*atlantis/);
    expect(r.stderr).toMatch(/line 5:.*nobody@birmingham.example/);
    expect(r.stderr).not.toMatch(/line 2:|line 6:/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(await listRoutingVersions(dbh.db)).toEqual(before);
  });

  it('exports a table that imports again unchanged', async () => {
    const first = await runCli(['routes', 'export'], { env });
    expect(first.code).toBe(0);
    const file = join(tmpdir(), `routes-${process.pid}.csv`);
    writeFileSync(file, first.stdout);
    const imported = await runCli(['routes', 'import', file], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('Routing table unchanged: version 1, 5 rules.\n');
    const second = await runCli(['routes', 'export'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.split('\n')[0]).toBe('service,scope,area,rm,deputy');
    expect(readFileSync(file, 'utf8')).toBe(second.stdout);
    const history = await runCli(['routes', 'history'], { env });
    expect(history.stdout).not.toMatch(/^v2\t/m);
    expect(history.stdout).toMatch(/^v1\t/m);
  }, 60_000); // five CLI runs, each opening the database: seconds each on a busy machine

  it('says clearly when a file does not exist', async () => {
    const r = await runCli(['routes', 'import', '/nonexistent/routes.csv'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('wardline: Cannot read /nonexistent/routes.csv: no such file.\n');
  });

  it('refuses unknown wards and services in routes resolve with one sentence', async () => {
    const r = await runCli(['routes', 'resolve', '--service', 'waste-enforcement', '--ward', 'atlantis'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wardline: There is no ward "atlantis"/);
  });
});

describe('wardline subscriptions', () => {
  it('imports digest subscriptions, reporting every bad line with its number and applying none', async () => {
    const bad = join(tmpdir(), `subs-bad-${process.pid}.csv`);
    writeFileSync(bad, 'email,scope,area\ncllr.erd@birmingham.example,ward,erdington\nnobody@example.org,ward,erdington\nwac.north@birmingham.example,galaxy,erdington\nmgr.waste@birmingham.example,ward,atlantis\n');
    const r = await runCli(['subscriptions', 'import', bad], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3: unknown person nobody@example.org');
    expect(r.stderr).toContain('line 4: the scope must be one of ward, cluster, district, service, city');
    expect(r.stderr).toMatch(/line 5: unknown ward "atlantis"/);
    expect((await runCli(['subscriptions', 'export'], { env })).stdout).toBe('email,scope,area\n');

    const good = join(tmpdir(), `subs-good-${process.pid}.csv`);
    writeFileSync(good, 'email,scope,area\ncllr.erd@birmingham.example,ward,erdington\nmgr.waste@birmingham.example,service,waste-enforcement\n');
    const first = await runCli(['subscriptions', 'import', good], { env });
    expect(first.stdout).toBe('Imported 2 subscriptions: 2 new, 0 already there.\n');
    expect((await runCli(['subscriptions', 'import', good], { env })).stdout).toBe('Imported 2 subscriptions: 0 new, 2 already there.\n');
    const out = (await runCli(['subscriptions', 'export'], { env })).stdout.trim().split('\n').sort();
    expect(out).toEqual(['cllr.erd@birmingham.example,ward,erdington', 'email,scope,area', 'mgr.waste@birmingham.example,service,waste-enforcement']);
  }, 60_000); // six CLI runs, each a fresh process
});
