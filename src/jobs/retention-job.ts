import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { redisStateLog } from './redis-state-log.js';

/**
 * The daily retention run (BullMQ, like the other jobs): a repeatable job at 03:30 council time.
 * Started beside the job runtime by the worker role.
 */
export async function startRetentionJob(opts: {
  redisUrl: string; prefix: string; zone: string; logger: Logger; run: (now: Date) => Promise<{ redacted: number }>; now: () => Date;
  onJob?: (outcome: 'completed' | 'failed', seconds: number) => void;
}): Promise<{ queue: Queue; stop(): Promise<void> }> {
  const redisState = redisStateLog(opts.logger, 'retention');
  const connection = redisState.watch(new Redis(opts.redisUrl, { maxRetriesPerRequest: null }));
  const workerConnection = redisState.watch(connection.duplicate());
  const queue = new Queue('retention', { connection, prefix: opts.prefix });
  const worker = new Worker('retention', async () => {
    const started = process.hrtime.bigint();
    try {
      const r = await opts.run(opts.now());
      opts.logger.info({ redacted: r.redacted }, 'retention run finished');
      opts.onJob?.('completed', Number(process.hrtime.bigint() - started) / 1e9);
      return r;
    } catch (e) {
      opts.logger.error({ err: e }, 'retention run failed');
      opts.onJob?.('failed', Number(process.hrtime.bigint() - started) / 1e9);
      throw e;
    }
  }, { connection: workerConnection, prefix: opts.prefix, concurrency: 1 });
  worker.on('error', (e) => redisState.failed(e));
  queue.on('error', (e) => redisState.failed(e));
  await queue.upsertJobScheduler('daily-retention', { pattern: '30 3 * * *', tz: opts.zone }, { name: 'daily', opts: { removeOnComplete: 30, removeOnFail: 100 } });
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
