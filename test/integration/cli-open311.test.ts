import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const twice = await runCli(['open311', 'keys', 'create', '--name', 'fixmystreet'], { env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('There is already a key called "fixmystreet"');
    expect((await runCli(['open311', 'keys', 'revoke', 'FixMyStreet', '--actor', 'Jo Admin'], { env })).code).toBe(0);
    expect((await runCli(['open311', 'keys', 'revoke', 'Nobody'], { env })).stderr).toContain('There is no key called "Nobody"');
    const audit = await runCli(['audit', '--json'], { env });
    expect(JSON.parse(audit.stdout).map((a: { actor: string; action: string }) => `${a.actor} ${a.action}`)).toEqual(['ops@council.example seed.demo', 'ops@council.example open311.key_created', 'Jo Admin open311.key_revoked']);
    expect(audit.stdout).not.toContain(key);
  }, 240_000);

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
