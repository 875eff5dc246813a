import type { Queue } from 'bullmq';
import type { Logger } from '../shared/logger.js';
import { startScheduledJob } from './scheduled-job.js';

/** Sunday 02:00 council time: the quietest hour of the week. */
export const RETRAIN_PATTERN = '0 2 * * 0';

export interface RetrainRunSummary {
  outcome: 'nothing_new' | 'adopted' | 'refused';
  version?: string;
  inUse: string;
  councilExamples: number;
}

/**
 * The weekly intake retrain (BullMQ, like the other jobs), started beside the job runtime by the
 * worker role. A run trains for tens of seconds, so its lock is held for ten minutes: no other
 * worker takes it for a stalled job meanwhile.
 */
export function startIntakeRetrainJob(opts: {
  redisUrl: string; prefix: string; zone: string; logger: Logger; run: (now: Date) => Promise<RetrainRunSummary>; now: () => Date;
}): Promise<{ queue: Queue; stop(): Promise<void> }> {
  return startScheduledJob({
    ...opts, name: 'intake-retrain', label: 'intake retrain', pattern: RETRAIN_PATTERN, lockDuration: 600_000,
    scheduler: { key: 'weekly-intake-retrain', jobName: 'weekly' },
  });
}
