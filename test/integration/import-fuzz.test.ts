import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalogue } from '../../src/catalogue/default-catalogue.js';
import { syncCatalogue } from '../../src/db/catalogue-repo.js';
import type { DbHandle } from '../../src/db/client.js';
import { importClusters, importPeople, importRoutes, importStreets } from '../../src/cli/import-actions.js';
import { isAppError } from '../../src/shared/errors.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle & { url: string };

beforeAll(async () => {
  dbh = await createTestDatabase();
  await syncCatalogue(dbh.db, loadDefaultCatalogue());
  await seedFixtureDirectory(dbh.db);
});
afterAll(async () => { await dbh?.close(); });

const TABLES = ['people', 'person_wards', 'person_services', 'person_away', 'chat_identities', 'clusters', 'cluster_wards', 'routing_tables', 'routing_rules', 'streets', 'settings'];

/** Every row of every table an import writes, as one string per table. */
async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  for (const t of TABLES) {
    const r = await dbh.db.execute<{ h: string | null }>(sql`select string_agg(x::text, '|' order by x::text) as h from ${sql.identifier(t)} x`);
    out.push(`${t}:${([...(r as unknown as { h: string | null }[])][0]?.h) ?? ''}`);
  }
  return out;
}

const HEADERS = [
  'email,name,roles,wards,slack_user_id,teams_user_id', 'cluster,name,wards', 'service,scope,area,rm,deputy', 'street,ward,postcode_district', 'street,ward', 'email,name', '',
];
const CELLS = [
  '', ' ', 'erdington', 'atlantis', 'rm', 'councillor;rm', 'wizard', 'rm.ward@birmingham.example', 'not-an-email', 'cllr.erd@birmingham.example',
  'waste-enforcement', 'ward', 'city', 'cluster', 'north-east', 'B23', '23B', 'Slade Road', '"quoted, comma"', '"unterminated', 'a"b', '\uFEFF', 'é✓', 'U0RMWARD', '2026-12-01..2026-11-01',
];
/** Files shaped like CSV (header, rows of known and broken cells, CRLF, BOM, blank lines) or any text at all. */
const csvText = fc.oneof(
  fc.tuple(fc.constantFrom(...HEADERS), fc.array(fc.array(fc.constantFrom(...CELLS), { maxLength: 8 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
    .map(([header, rows, eol, bom]) => `${bom ? '\uFEFF' : ''}${[header, ...rows.map((r) => r.join(','))].join(eol)}`),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

const IMPORTS = { people: importPeople, clusters: importClusters, routes: importRoutes, streets: importStreets };

describe('imports given random and broken CSV', () => {
  for (const [name, run] of Object.entries(IMPORTS)) {
    it(`the ${name} import never crashes, and changes nothing when it refuses`, async () => {
      let before = await snapshot();
      await fc.assert(fc.asyncProperty(csvText, async (text) => {
        let outcome: 'imported' | 'refused';
        try {
          await run(dbh.db, text, { file: 'fuzz.csv' });
          outcome = 'imported';
        } catch (e) {
          if (!isAppError(e) || e.code !== 'csv.invalid') throw e;
          expect(e.message).toMatch(/^fuzz\.csv (was not imported|has a header but no rows)/);
          outcome = 'refused';
        }
        const after = await snapshot();
        if (outcome === 'refused') expect(after).toEqual(before);
        before = after;
      }), { numRuns: 60 });
    }, 120_000);
  }
});
