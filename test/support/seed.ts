import { readFileSync } from 'node:fs';
import { CatalogueIndex } from '../../src/catalogue/catalogue.js';
import { loadCatalogue, replaceClusters } from '../../src/db/catalogue-repo.js';
import type { Db } from '../../src/db/client.js';
import { loadPeople, replacePeople } from '../../src/db/directory-repo.js';
import { replaceRoutingTable, setTriageOwner } from '../../src/db/routing-repo.js';
import { parsePeopleCsv } from '../../src/directory/people-csv.js';
import { buildDirectory, type Person } from '../../src/directory/person.js';
import { parseClustersCsv } from '../../src/routing/clusters-csv.js';
import { parseRoutesCsv } from '../../src/routing/routes-csv.js';
import { loadConfig } from '../../src/config.js';
import { openCore, type Core } from '../../src/main.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { fixture } from './cli.js';
import { createTestDatabase } from './test-db.js';

/** Loads the CSV fixtures through the real parsers and repositories; returns people by email. */
export async function seedFixtureDirectory(db: Db, at = new Date('2026-11-02T09:00:00Z')): Promise<Map<string, Person>> {
  const read = (f: string) => readFileSync(fixture(`csv/${f}`), 'utf8');
  let index = new CatalogueIndex(await loadCatalogue(db));
  const people = parsePeopleCsv(read('people.csv'), index);
  if (!people.ok) throw new Error(people.errors.join('\n'));
  await replacePeople(db, people.people);
  const clusters = parseClustersCsv(read('clusters.csv'), index);
  if (!clusters.ok) throw new Error(clusters.errors.join('\n'));
  await replaceClusters(db, clusters.clusters);
  index = new CatalogueIndex(await loadCatalogue(db));
  const directory = buildDirectory(await loadPeople(db));
  const routes = parseRoutesCsv(read('routes-good.csv'), index, directory);
  if (!routes.ok) throw new Error(routes.errors.join('\n'));
  await replaceRoutingTable(db, routes.rules, { source: 'fixture', at });
  await setTriageOwner(db, directory.byEmail.get('admin@birmingham.example')!.id);
  return new Map(directory.people.map((p) => [p.email, p]));
}

/** A core on a fresh, migrated test database with the fixture directory loaded. */
export async function openSeededCore(opts: { clock?: Clock } = {}): Promise<{ core: Core; people: Map<string, Person>; url: string }> {
  const db = await createTestDatabase();
  await db.close();
  const core = await openCore(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), createLogger('silent'), opts.clock ? { clock: opts.clock } : {});
  return { core, people: await seedFixtureDirectory(core.dbh.db), url: db.url };
}
