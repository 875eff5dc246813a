import type { Config } from './config.js';
import { loadCatalogue } from './db/catalogue-repo.js';
import type { DbHandle, Tx } from './db/client.js';
import { startRetentionJob } from './jobs/retention-job.js';
import { runRetention } from './privacy/retention.js';
import { retentionPolicy, type RetentionPolicy } from './privacy/retention-policy.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';

/** What retention needs of the core. */
export interface RetentionCoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: DbHandle;
}

/** The retention policy in force: the configuration and the catalogue's per-service settings, read afresh. */
export async function loadRetentionPolicy(config: Config, db: Tx): Promise<RetentionPolicy> {
  return retentionPolicy(config.RETENTION_MONTHS, config.RETENTION_MONTHS_BY_SERVICE, (await loadCatalogue(db)).services);
}

/** The daily retention job, in processes that run workers. */
export async function startRetention(core: RetentionCoreParts, redisUrl: string, prefix: string): Promise<() => Promise<void>> {
  const job = await startRetentionJob({
    redisUrl, prefix, zone: core.config.TZ_COUNCIL, logger: core.logger, now: () => core.clock.now(),
    run: async (now) => {
      const r = await runRetention({ db: core.dbh.db, clock: { now: () => now }, policy: await loadRetentionPolicy(core.config, core.dbh.db) }, { dryRun: false, actor: 'job:retention' });
      return { redacted: r.cases.length };
    },
  });
  return job.stop;
}
