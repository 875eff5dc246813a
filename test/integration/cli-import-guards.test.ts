import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../src/catalogue/default-catalogue.js';
import { importRoutes } from '../../src/cli/import-actions.js';
import { loadCatalogue, syncCatalogue } from '../../src/db/catalogue-repo.js';
import type { DbHandle } from '../../src/db/client.js';
import { loadPeople } from '../../src/db/directory-repo.js';
import { listRoutingVersions } from '../../src/db/routing-repo.js';
import { fixture, importFixtureCsvs, runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle & { url: string };
let env: Record<string, string>;
const peopleCsv = readFileSync(fixture('csv/people.csv'), 'utf8');
const tmp = (name: string, text: string) => {
  const file = join(tmpdir(), `wl-guards-${process.pid}-${name}`);
  writeFileSync(file, text);
  return file;
};
const withoutLines = (text: string, ...emails: string[]) => text.split('\n').filter((l) => !emails.some((e) => l.startsWith(`${e},`))).join('\n');

beforeAll(async () => {
  dbh = await createTestDatabase();
  env = { DATABASE_URL: dbh.url };
  await importFixtureCsvs(env);
}, 240_000);
afterAll(async () => { await dbh?.close(); });

/** `routes export | routes import`: prints "unchanged", makes no version, exports the same again. */
async function expectRoutesRoundTripIsNoOp(): Promise<void> {
  const versions = await listRoutingVersions(dbh.db);
  const first = await runCli(['routes', 'export'], { env });
  const imported = await runCli(['routes', 'import', tmp('routes.csv', first.stdout)], { env });
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  expect(imported.stdout).toMatch(/^Routing table unchanged: version \d+, 5 rules\./);
  expect(await listRoutingVersions(dbh.db)).toEqual(versions);
  expect((await runCli(['routes', 'export'], { env })).stdout).toBe(first.stdout);
}

const activeEmails = async () => (await loadPeople(dbh.db)).map((p) => p.email);

describe('imports that would wipe', () => {
  it('routes export | routes import changes nothing', async () => {
    await expectRoutesRoundTripIsNoOp();
  }, 120_000);

  it('refuses a header-only people file, even with --force, and says what to do', async () => {
    const before = await activeEmails();
    for (const args of [[], ['--force']]) {
      const r = await runCli(['people', 'import', tmp('people-empty.csv', '\uFEFFemail,name,roles,wards,slack_user_id,teams_user_id\r\n'), ...args], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/has a header but no rows, so it was not imported \(not even with --force\); nothing changed/);
      expect(r.stderr).toMatch(/wardline people export FILE/);
    }
    expect(await activeEmails()).toEqual(before);
  }, 120_000);

  it('refuses to mark over half the directory inactive unless --force', async () => {
    const before = await activeEmails();
    const few = withoutLines(peopleCsv, 'cllr.erd@birmingham.example', 'cllr.kings@birmingham.example', 'wac.north@birmingham.example',
      'so.erd@birmingham.example', 'mgr.waste@birmingham.example', 'admin@birmingham.example');
    const r = await runCli(['people', 'import', tmp('people-few.csv', few)], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/It would mark 6 of the 10 people in the directory inactive \(admin@birmingham\.example, cllr\.erd/);
    expect(r.stderr).toMatch(/run the import again with --force/);
    expect(await activeEmails()).toEqual(before);
  }, 120_000);

  it('refuses to take away an RM the routing table uses; with --force it does, and the routes round trip stays a no-op', async () => {
    const file = tmp('people-no-cluster-rm.csv', withoutLines(peopleCsv, 'rm.cluster@birmingham.example'));
    const refused = await runCli(['people', 'import', file], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/take away people the routing table sends cases to: rm\.cluster@birmingham\.example \(not in the file; 1 routing rules\)/);
    expect(await activeEmails()).toContain('rm.cluster@birmingham.example');
    const forced = await runCli(['people', 'import', file, '--force'], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/Imported 9 people: 0 new, 0 updated, 9 unchanged, 1 marked inactive\./);
    await expectRoutesRoundTripIsNoOp();
    expect((await runCli(['people', 'import', fixture('csv/people.csv')], { env })).code).toBe(0);
  }, 240_000);

  it('refuses to remove a cluster the routing table uses; with --force it does, and the routes round trip stays a no-op', async () => {
    const empty = await runCli(['clusters', 'import', tmp('clusters-empty.csv', 'cluster,name,wards\n'), '--force'], { env });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/has a header but no rows.*wardline clusters export FILE/s);
    const other = tmp('clusters-other.csv', 'cluster,name,wards\r\nsouth,South cluster,moseley;sparkhill\r\n');
    const refused = await runCli(['clusters', 'import', other], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/remove clusters the routing table uses: north-east \(1 routing rules\)/);
    expect((await loadCatalogue(dbh.db)).clusters.map((c) => c.id)).toEqual(['north-east']);
    const forced = await runCli(['clusters', 'import', other, '--force'], { env });
    expect(forced.code, forced.stderr).toBe(0);
    await expectRoutesRoundTripIsNoOp();
  }, 240_000);

  it('refuses a header-only routes file and keeps the table', async () => {
    const versions = await listRoutingVersions(dbh.db);
    const r = await runCli(['routes', 'import', tmp('routes-empty.csv', 'service,scope,area,rm,deputy\r\n')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has a header but no rows.*wardline routes export FILE/s);
    expect(await listRoutingVersions(dbh.db)).toEqual(versions);
  }, 120_000);

  it('names the bad lines of a BOM and CRLF people file and changes nothing', async () => {
    const before = await loadPeople(dbh.db);
    const text = `\uFEFF${peopleCsv.trim().replace(/\n/g, '\r\n')}\r\nnew.person@birmingham.example,New Person,wizard,atlantis,,\r\n`;
    const r = await runCli(['people', 'import', tmp('people-bad.csv', text)], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 12: unknown role "wizard" .*; unknown ward "atlantis"/);
    expect(r.stderr).not.toMatch(/line (1[01]|[2-9]):/);
    expect(await loadPeople(dbh.db)).toEqual(before);
  }, 120_000);
});

describe('routes export | routes import before any table', () => {
  it('is a no-op in a new database', async () => {
    const fresh = await createTestDatabase();
    try {
      await syncCatalogue(fresh.db, loadDefaultCatalogue());
      expect(await importRoutes(fresh.db, 'service,scope,area,rm,deputy\n', { file: 'routes.csv' })).toBe('No routing table yet, and the file has no rules: nothing changed.');
      expect(await listRoutingVersions(fresh.db)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
