import type { Db } from './db/client.js';
import { startIntakeRetrainJob } from './jobs/intake-retrain-job.js';
import { runIntakeRetrain } from './retraining/retrain-intake.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';

/** The weekly intake retrain, where workers run; returns its stop. */
export async function startIntakeRetrain(core: { dbh: { db: Db }; clock: Clock; logger: Logger; config: { TZ_COUNCIL: string } }, redisUrl: string, prefix: string): Promise<() => Promise<void>> {
  const job = await startIntakeRetrainJob({
    redisUrl, prefix, zone: core.config.TZ_COUNCIL, logger: core.logger, now: () => core.clock.now(),
    run: async (now) => {
      const r = await runIntakeRetrain({ db: core.dbh.db, clock: { now: () => now } }, { actor: 'job:intake-retrain' });
      return { outcome: r.outcome, inUse: r.inUse, councilExamples: r.councilExamples, ...('version' in r ? { version: r.version } : {}) };
    },
  });
  return job.stop;
}
