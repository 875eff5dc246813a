import type { Queue } from 'bullmq';
import type { Logger } from '../shared/logger.js';
import { startScheduledJob } from './scheduled-job.js';

/**
 * The daily retention run (BullMQ, like the other jobs): a repeatable job at 03:30 council time.
 * Started beside the job runtime by the worker role.
 */
export function startRetentionJob(opts: {
  redisUrl: string; prefix: string; zone: string; logger: Logger; run: (now: Date) => Promise<{ redacted: number }>; now: () => Date;
  onJob?: (outcome: 'completed' | 'failed', seconds: number) => void;
}): Promise<{ queue: Queue; stop(): Promise<void> }> {
  return startScheduledJob({ ...opts, name: 'retention', label: 'retention run', pattern: '30 3 * * *', scheduler: { key: 'daily-retention', jobName: 'daily' } });
}
