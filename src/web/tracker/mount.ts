import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import Fastify from 'fastify';
import type { CaseContext, CaseService } from '../../cases/case-service.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Platform } from '../../shared/enums.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Router } from '../http-router.js';
import { createOidcProvider, oidcSpecs } from './oidc.js';
import { registerTracker, type TrackerDeps } from './tracker.js';

/** What the tracker takes from the composition root's core. */
export interface TrackerCore {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: { db: Db };
  cases: CaseService;
  platforms: Platform[];
  loadContext(): Promise<CaseContext>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The tracker's dependencies from the configuration. Without OIDC, sign-in is a demo persona
 * picker, and only where the demo workspace is: on loopback with the built-in workspace on.
 */
export function trackerDepsFromCore(core: TrackerCore): TrackerDeps {
  const c = core.config;
  const publicUrl = c.PUBLIC_URL ?? null;
  return {
    db: core.dbh.db, cases: core.cases, clock: core.clock, loadContext: core.loadContext, logger: core.logger, zone: c.TZ_COUNCIL,
    providers: publicUrl ? oidcSpecs(c).map((s) => createOidcProvider(s, publicUrl)) : [],
    demo: core.platforms.includes('local') && LOOPBACK.has(c.HOST), publicUrl, idleMinutes: c.WEB_SESSION_IDLE_MINUTES,
  };
}

/** The tracker's paths, for the present node:http router (the fastify server will take the plugin itself). */
const PATHS = [
  '/', '/cases', '/cases/export.csv', '/cases/:ref', '/cases/:ref/actions', '/wards', '/themes', '/services', '/services/:id', '/services/:id/:table',
  ...['wards', 'clusters', 'districts', 'themes'].flatMap((k) => [`/${k}/:id`, `/${k}/:id/:table`]),
  '/auth/sign-in', '/auth/demo', '/auth/sign-out', '/auth/login/:p', '/auth/callback/:p', '/tracker.css', '/tracker.js',
  '/govuk/:file', '/assets/:dir/:file',
];

/** Runs the tracker plugin in a fastify instance without its own listener and routes its paths to it. */
export async function mountTrackerOnRouter(router: Router, deps: TrackerDeps): Promise<() => Promise<void>> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const app = Fastify({ serverFactory: (handler) => { handle = handler; return createServer(handler); }, logger: false });
  await app.register((instance) => registerTracker(instance, deps));
  await app.ready();
  for (const path of PATHS) {
    for (const method of ['GET', 'POST']) {
      router.add(method, path, (req, res) => new Promise<void>((done) => { res.once('close', () => done()); handle!(req, res); }));
    }
  }
  return () => app.close();
}
