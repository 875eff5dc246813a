import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { Person } from '../../src/directory/person.js';
import { openCore, type Core } from '../../src/main.js';
import { open311WebPlugin } from '../../src/main-open311.js';
import { createClientKey, importWardBoundaries } from '../../src/open311/open311-admin.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { createWebApp } from '../../src/web/server.js';
import { fixture } from './cli.js';
import { seedFixtureDirectory } from './seed.js';
import { createTestDatabase } from './test-db.js';

export interface Open311TestApp {
  core: Core;
  app: FastifyInstance;
  people: Map<string, Person>;
  key: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real core on a fresh database with the fixture directory, boundaries and a key, behind the front door. */
export async function startOpen311App(opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<Open311TestApp> {
  const db = await createTestDatabase();
  await db.close();
  const config = loadConfig({ DATABASE_URL: db.url, OPEN311_JURISDICTION_ID: 'birmingham.gov.uk', ...opts.env });
  const logger = createLogger('silent');
  const core = await openCore(config, logger, opts.clock ? { clock: opts.clock } : {});
  const people = await seedFixtureDirectory(core.dbh.db);
  const catalogue = (await core.loadContext()).index.catalogue;
  await importWardBoundaries(core.dbh.db, { text: readFileSync(fixture('geo/wards-small.geojson'), 'utf8'), source: 'wards-small.geojson', catalogue, actor: 'test', at: core.clock.now() });
  const { key } = await createClientKey(core.dbh.db, { name: 'FixMyStreet', ratePerMinute: 1000, actor: 'test', at: core.clock.now() });
  core.invalidateContext();
  // Open311 through the front door (its error boundary, limits and parsers), injected into without a listener.
  const app = await createWebApp({ logger, metrics: core.metrics, readiness: [], plugins: [open311WebPlugin(core)] });
  return { core, app, people, key, databaseUrl: db.url, close: async () => { await app.close(); await core.close(); } };
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
