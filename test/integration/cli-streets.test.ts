import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DbHandle } from '../../src/db/client.js';
import { loadStreets } from '../../src/db/streets-repo.js';
import { openCore } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle & { url: string };
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'wl-streets-'));
const tmp = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const GOOD = '\uFEFFstreet,ward,postcode_district\r\nZetland Road,erdington,B23\r\nGravelly Lane,erdington,B23\r\nGravelly Lane,stockland-green,B23\r\n';
const messages = [
  { id: 1, sender: { wards: ['erdington', 'stockland-green'] }, text: 'fly-tipping again on Zetland Rd, third time this month' },
  { id: 2, sender: { wards: ['erdington', 'stockland-green'] }, text: 'fly-tipping again on Gravelly Lane, third time this month' },
  { id: 3, sender: { wards: ['erdington', 'kingstanding'] }, text: 'fly-tipping again on Gravelly Lane, third time this month' },
].map((m) => JSON.stringify(m)).join('\n');
const wardsOf = (stdout: string) => stdout.trim().split('\n').map((l) => (JSON.parse(l) as { cases: { ward: string }[] }).cases[0]?.ward ?? null);

beforeAll(async () => {
  dbh = await createTestDatabase();
  env = { DATABASE_URL: dbh.url };
});
afterAll(async () => { await dbh?.close(); });

describe('wardline streets', () => {
  it('names every bad line, the unknown wards among them, and imports nothing', async () => {
    const r = await runCli(['streets', 'import', tmp('bad.csv', `${GOOD}Moor Lane,atlantis,\r\n,erdington,\r\nZetland Road,erdington,B23\r\n`)], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 5: unknown ward "atlantis"/);
    expect(r.stderr).toMatch(/line 6: the street is empty/);
    expect(r.stderr).toMatch(/line 7: duplicate of line 2/);
    expect(r.stderr).not.toMatch(/line [234]:/);
    expect(await loadStreets(dbh.db)).toEqual([]);
  }, 120_000);

  it('refuses a header-only file, even with --force', async () => {
    const r = await runCli(['streets', 'import', tmp('empty.csv', 'street,ward,postcode_district\r\n')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has a header but no rows.*wardline streets export FILE/s);
  }, 120_000);

  it('imports a BOM and CRLF file and exports it so that it imports unchanged', async () => {
    const r = await runCli(['streets', 'import', tmp('good.csv', GOOD)], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Imported 3 rows: 2 streets.\n');
    const out = await runCli(['streets', 'export'], { env });
    expect(out.stdout).toBe('street,ward,postcode_district\nGravelly Lane,erdington,B23\nGravelly Lane,stockland-green,B23\nZetland Road,erdington,B23\n');
    expect((await runCli(['streets', 'import', tmp('again.csv', out.stdout)], { env })).code).toBe(0);
    expect((await runCli(['streets', 'export'], { env })).stdout).toBe(out.stdout);
  }, 120_000);

  it('parse settles the ward by the database\'s streets, but not a street in two of the sender\'s wards', async () => {
    const r = await runCli(['parse'], { env, input: messages });
    expect(r.stderr).toBe('');
    expect(wardsOf(r.stdout)).toEqual(['erdington', null, 'erdington']);
  }, 120_000);

  it('parse without a database uses the shipped catalogue and creates none', async () => {
    const dataDir = join(dir, 'no-db');
    const r = await runCli(['parse'], { env: { WARDLINE_DATA_DIR: dataDir }, input: `${messages}\n${JSON.stringify({ id: 4, sender: { wards: [] }, text: 'mattress dumped by the shops, B35 7AB' })}` });
    expect(r.code, r.stderr).toBe(0);
    expect(wardsOf(r.stdout)).toEqual([null, null, null, 'castle-vale']);
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it('gives the chat flows the gazetteer in the case context', async () => {
    const config = loadConfig({ ...process.env, DATABASE_URL: dbh.url, WARDLINE_DATA_DIR: dir });
    const core = await openCore(config, createLogger('silent'), { migrate: false });
    try {
      const ctx = await core.loadContext();
      expect(ctx.streets?.find('bins on zetland road', [])).toEqual({ kind: 'settled', wardId: 'erdington', via: 'street' });
    } finally {
      await core.close();
    }
  });
});
