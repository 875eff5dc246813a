import type { Config } from './config.js';
import type { DbHandle } from './db/client.js';
import { startRetentionJob } from './jobs/retention-job.js';
import { runRetention } from './privacy/retention.js';
import { parseRetentionByService } from './privacy/retention-policy.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';

/** What retention needs of the core. */
export interface RetentionCoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  dbh: DbHandle;
}

export function retentionPolicyOf(config: Config) {
  return { defaultMonths: config.RETENTION_MONTHS, byService: parseRetentionByService(config.RETENTION_MONTHS_BY_SERVICE) };
}

/** The daily retention job, in processes that run workers. */
export async function startRetention(core: RetentionCoreParts, redisUrl: string, prefix: string): Promise<() => Promise<void>> {
  const job = await startRetentionJob({
    redisUrl, prefix, zone: core.config.TZ_COUNCIL, logger: core.logger, now: () => core.clock.now(),
    run: async (now) => {
      const r = await runRetention({ db: core.dbh.db, clock: { now: () => now }, policy: retentionPolicyOf(core.config) }, { dryRun: false, actor: 'job:retention' });
      return { redacted: r.cases.length };
    },
  });
  return job.stop;
}
