import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { redisStateLog } from './redis-state-log.js';

export interface ScheduledJobOptions<R extends object> {
  /** The queue's name, and the part of the process its Redis state lines name. */
  name: string;
  /** What the job is called in its log lines ("retention run": "retention run finished"). */
  label: string;
  /** A cron pattern in council time, e.g. '30 3 * * *'. */
  pattern: string;
  /** The scheduler's key and its jobs' name in Redis; kept as they are, or an upgraded install would run the job twice. */
  scheduler: { key: string; jobName: string };
  redisUrl: string; prefix: string; zone: string; logger: Logger;
  run: (now: Date) => Promise<R>;
  now: () => Date;
  /** How long a run may hold its lock before another worker takes it for stalled (BullMQ's default: 30 s). */
  lockDuration?: number;
  onJob?: (outcome: 'completed' | 'failed', seconds: number) => void;
}

/**
 * A repeatable BullMQ job at a fixed time of day or week in council time, run by one worker at a
 * time. Its summary (never residents' details) is logged at info; Redis going away and coming
 * back is one line each, not a stack per reconnect attempt.
 */
export async function startScheduledJob<R extends object>(opts: ScheduledJobOptions<R>): Promise<{ queue: Queue; stop(): Promise<void> }> {
  const redisState = redisStateLog(opts.logger, opts.name);
  const connection = redisState.watch(new Redis(opts.redisUrl, { maxRetriesPerRequest: null }));
  const workerConnection = redisState.watch(connection.duplicate());
  const queue = new Queue(opts.name, { connection, prefix: opts.prefix });
  const worker = new Worker(opts.name, async () => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const r = await opts.run(opts.now());
      opts.logger.info({ ...r, seconds: seconds() }, `${opts.label} finished`);
      opts.onJob?.('completed', seconds());
      return r;
    } catch (e) {
      opts.logger.error({ err: e }, `${opts.label} failed`);
      opts.onJob?.('failed', seconds());
      throw e;
    }
  }, { connection: workerConnection, prefix: opts.prefix, concurrency: 1, ...(opts.lockDuration ? { lockDuration: opts.lockDuration } : {}) });
  worker.on('error', (e) => redisState.failed(e));
  queue.on('error', (e) => redisState.failed(e));
  await queue.upsertJobScheduler(opts.scheduler.key, { pattern: opts.pattern, tz: opts.zone }, { name: opts.scheduler.jobName, opts: { removeOnComplete: 30, removeOnFail: 100 } });
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
