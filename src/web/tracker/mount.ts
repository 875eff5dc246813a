import type { FastifyInstance } from 'fastify';
import type { CaseContext, CaseService } from '../../cases/case-service.js';
import { isLoopbackHost, type Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Platform } from '../../shared/enums.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
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
    demo: core.platforms.includes('local') && isLoopbackHost(c.HOST), publicUrl, idleMinutes: c.WEB_SESSION_IDLE_MINUTES,
  };
}

/** The tracker as a plugin for the front door. */
export function trackerWebPlugin(core: TrackerCore): (app: FastifyInstance) => Promise<void> {
  const deps = trackerDepsFromCore(core);
  return (app) => registerTracker(app, deps);
}
