import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';

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
export async function startIntakeRetrainJob(opts: {
  redisUrl: string; prefix: string; zone: string; logger: Logger; run: (now: Date) => Promise<RetrainRunSummary>; now: () => Date;
}): Promise<{ queue: Queue; stop(): Promise<void> }> {
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (e) => opts.logger.warn({ err: e.message }, 'redis connection error'));
  const workerConnection = connection.duplicate();
  const queue = new Queue('intake-retrain', { connection, prefix: opts.prefix });
  const worker = new Worker('intake-retrain', async () => {
    const started = process.hrtime.bigint();
    try {
      const r = await opts.run(opts.now());
      opts.logger.info({ ...r, seconds: Number(process.hrtime.bigint() - started) / 1e9 }, 'intake retrain finished');
      return r;
    } catch (e) {
      opts.logger.error({ err: e }, 'intake retrain failed');
      throw e;
    }
  }, { connection: workerConnection, prefix: opts.prefix, concurrency: 1, lockDuration: 600_000 });
  worker.on('error', (e) => opts.logger.warn({ err: e.message, queue: 'intake-retrain' }, 'worker error'));
  await queue.upsertJobScheduler('weekly-intake-retrain', { pattern: RETRAIN_PATTERN, tz: opts.zone }, { name: 'weekly', opts: { removeOnComplete: 30, removeOnFail: 100 } });
  return {
    queue,
    stop: async () => {
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
      connection.disconnect();
    },
  };
}
