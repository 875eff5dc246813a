import type { FastifyInstance } from 'fastify';
import type { CaseContext, CaseService } from './cases/case-service.js';
import type { Config } from './config.js';
import type { DbHandle } from './db/client.js';
import { startRetentionJob } from './jobs/retention-job.js';
import { createOpen311Service } from './open311/open311-service.js';
import { runRetention } from './privacy/retention.js';
import { parseRetentionByService } from './privacy/retention-policy.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { open311Plugin } from './web/open311/open311-plugin.js';

/** What Open311 and retention need of the core (the composition root's `Core` has it all). */
export interface Open311CoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: DbHandle;
  cases: CaseService;
  loadContext(): Promise<CaseContext>;
  invalidateContext(): void;
}

export type WebPlugin = (app: FastifyInstance) => Promise<void>;

/** The Open311 plugin for the HTTP server, as `{ plugins }` for `startWebServer`. */
export function open311WebPlugins(core: Open311CoreParts): { plugins: WebPlugin[] } {
  const service = createOpen311Service({
    db: core.dbh.db, cases: core.cases, clock: core.clock, logger: core.logger, loadContext: core.loadContext,
    invalidateContext: core.invalidateContext, jurisdictionId: core.config.OPEN311_JURISDICTION_ID, contact: core.config.OPEN311_CONTACT,
  });
  return { plugins: [open311Plugin(service, core.logger)] };
}

export function retentionPolicyOf(config: Config) {
  return { defaultMonths: config.RETENTION_MONTHS, byService: parseRetentionByService(config.RETENTION_MONTHS_BY_SERVICE) };
}

/** The daily retention job, in processes that run workers. */
export async function startRetention(core: Open311CoreParts, redisUrl: string, prefix: string): Promise<() => Promise<void>> {
  const job = await startRetentionJob({
    redisUrl, prefix, zone: core.config.TZ_COUNCIL, logger: core.logger, now: () => core.clock.now(),
    run: async (now) => {
      const r = await runRetention({ db: core.dbh.db, clock: { now: () => now }, policy: retentionPolicyOf(core.config) }, { dryRun: false, actor: 'job:retention' });
      return { redacted: r.cases.length };
    },
  });
  return job.stop;
}
