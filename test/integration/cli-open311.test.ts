import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { fixture, runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';

let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'wl-open311-'));
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  env = { DATABASE_URL: db.url, WARDLINE_ACTOR: 'ops@council.example' };
  expect((await runCli(['seed', '--demo'], { env })).code).toBe(0);
}, 60_000);
afterAll(() => {});

describe('wardline open311, wards, subject, retention and audit commands', () => {
  it('creates a key printed once, lists it without the key, revokes it, and audits each change', async () => {
    const created = await runCli(['open311', 'keys', 'create', '--name', 'FixMyStreet', '--rate', '30'], { env });
    expect(created.code, created.stderr).toBe(0);
    const key = /^(wl311_\S+)$/m.exec(created.stdout)![1]!;
    const list = await runCli(['open311', 'keys', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'FixMyStreet', ratePerMinute: 30, revokedAt: null })]);
    expect(list.stdout).not.toContain(key);
    // Only the key's sha256 is stored.
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL!, dataDir: '' });
    try {
      const stored = JSON.stringify(await db.db.execute(sql`select * from open311_keys`));
      expect(stored).toContain(createHash('sha256').update(key).digest('hex'));
      expect(stored).not.toContain(key);
    } finally {
      await db.close();
    }
    const twice = await runCli(['open311', 'keys', 'create', '--name', 'fixmystreet'], { env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('There is already a key called "fixmystreet"');
    expect((await runCli(['open311', 'keys', 'revoke', 'FixMyStreet', '--actor', 'Jo Admin'], { env })).code).toBe(0);
    expect((await runCli(['open311', 'keys', 'revoke', 'Nobody'], { env })).stderr).toContain('There is no key called "Nobody"');
    const audit = await runCli(['audit', '--json'], { env });
    expect(JSON.parse(audit.stdout).map((a: { actor: string; action: string }) => `${a.actor} ${a.action}`)).toEqual(['ops@council.example seed.demo', 'ops@council.example open311.key_created', 'Jo Admin open311.key_revoked']);
    expect(audit.stdout).not.toContain(key);
  }, 240_000);

  it('records who changed the directory, routing and retention settings, and shows the log from a date', async () => {
    const file = (name: string, text?: string) => { const f = join(dir, name); if (text) writeFileSync(f, text); return f; };
    expect((await runCli(['people', 'export', file('people.csv')], { env })).code).toBe(0);
    expect((await runCli(['clusters', 'export', file('clusters.csv')], { env })).code).toBe(0);
    expect((await runCli(['routes', 'export', file('routes.csv')], { env })).code).toBe(0);
    // A real change to the routing table: the export without its last rule (an unchanged table is no change, and not logged).
    const routes = readFileSync(file('routes.csv'), 'utf8').trimEnd().split('\n');
    file('routes-less.csv', `${routes.slice(0, -1).join('\n')}\n`);
    expect((await runCli(['routes', 'import', file('routes.csv'), '--actor', 'Jo Admin'], { env })).stdout).toContain('Routing table unchanged');
    const changes = [
      ['people', 'import', file('people.csv')], ['clusters', 'import', file('clusters.csv')], ['routes', 'import', file('routes-less.csv')],
      ['aliases', 'import', file('aliases.csv', 'alias,ward\nFour Oaks,sutton-four-oaks\n')], ['streets', 'import', file('streets.csv', 'street,ward\nSlade Road,erdington\n')],
      ['services', 'channel', 'waste-enforcement', 'local', 'general'], ['services', 'retention', 'street-cleaning', '12'],
    ];
    for (const args of changes) {
      const r = await runCli([...args, '--actor', 'Jo Admin'], { env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect((await runCli(['services', 'retention', 'street-cleaning', '0'], { env })).stderr).toContain('0 is not a number of months from 1 to 1200.');
    expect((await runCli(['services', 'retention', 'nowhere', '12'], { env })).stderr).toContain('Unknown service "nowhere"');
    expect((await runCli(['retention', 'run', '--dry-run', '--actor', 'Sam DPO'], { env })).code).toBe(0);
    const since = new Date().toISOString().slice(0, 10);
    const audit = JSON.parse((await runCli(['audit', '--since', since, '--json'], { env })).stdout) as { actor: string; action: string; detail: Record<string, unknown> }[];
    const jo = audit.filter((a) => a.actor === 'Jo Admin').map((a) => a.action);
    expect(jo).toEqual(expect.arrayContaining(['people.imported', 'clusters.imported', 'routes.imported', 'aliases.imported', 'streets.imported', 'services.card_channel_set', 'retention.service_set']));
    expect(audit.filter((a) => a.action === 'routes.imported').map((a) => a.detail)).toEqual([{ file: file('routes-less.csv') }]);
    expect(audit.find((a) => a.action === 'retention.service_set')!.detail).toEqual({ service: 'street-cleaning', months: 12, before: null });
    expect(audit.find((a) => a.action === 'retention.settings')).toMatchObject({ actor: 'Sam DPO', detail: { defaultMonths: 24, byService: { 'street-cleaning': 12 } } });
    const text = await runCli(['audit', '--since', since], { env });
    expect(text.stdout).toMatch(/\tJo Admin\tretention\.service_set\t/);
    expect((await runCli(['audit', '--since', '2999-01-01'], { env })).stdout).toContain('Nothing in the audit log');
    expect((await runCli(['audit', '--since', '2026-02-30'], { env })).code).toBe(1);
  }, 300_000);

  it('imports ward boundaries all or nothing, listing every problem', async () => {
    const ok = await runCli(['wards', 'boundaries', 'import', fixture('geo/wards-small.geojson')], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Loaded boundaries for 3 wards.');
    expect(ok.stdout).toContain('66 wards have no boundary');
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { WD22NM: 'Erdington' }, geometry: { type: 'Polygon', coordinates: [[[410000, 290000], [411000, 290000], [411000, 291000], [410000, 290000]]] } },
      { type: 'Feature', properties: { WD22NM: 'Atlantis' }, geometry: { type: 'Point', coordinates: [0, 0] } },
    ] }));
    const refused = await runCli(['wards', 'boundaries', 'import', bad], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('feature 1 (erdington): position [410000, 290000] is not WGS84 longitude/latitude');
    expect(refused.stderr).toContain('feature 2: no property names a ward');
    // Nothing changed: the three wards loaded before are still there, with their shapes.
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL!, dataDir: '' });
    try {
      const kept = (await db.db.execute(sql`select ward_id, source from ward_boundaries order by ward_id`)) as unknown as { ward_id: string; source: string }[];
      expect(kept).toEqual(['erdington', 'gravelly-hill', 'kingstanding'].map((w) => ({ ward_id: w, source: 'wards-small.geojson' })));
    } finally {
      await db.close();
    }
    const audit = JSON.parse((await runCli(['audit', '--json'], { env })).stdout) as { action: string }[];
    expect(audit.filter((a) => a.action === 'wards.boundaries_imported')).toHaveLength(1);
  }, 120_000);

  it('exports a subject access bundle, refuses erasure without confirmation, and runs retention dry', async () => {
    const out = join(dir, 'sar');
    const exported = await runCli(['subject', 'export', '--email', 'nobody@example.org', '--out', out], { env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'subject-access.json'), 'utf8'))).toMatchObject({ cases: [], messages: [] });
    expect(existsSync(join(out, 'subject-access.html'))).toBe(true);
    const both = await runCli(['subject', 'export', '--email', 'a@b.org', '--name', 'A B', '--out', out], { env });
    expect(both.stderr).toContain('Name the person one way');
    const unconfirmed = await runCli(['subject', 'erase', '--email', 'nobody@example.org'], { env });
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('Nothing was removed');
    const dry = await runCli(['retention', 'run', '--dry-run'], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('0 cases would have their text removed');
  }, 120_000);
});
