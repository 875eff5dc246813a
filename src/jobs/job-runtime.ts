import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import { redisStateLog } from './redis-state-log.js';

/** Queue names; the prefix separates installations (and test files) sharing one Redis. */
export const QUEUE_NAMES = ['sla-sweep', 'digests', 'digest-send'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const digestSendPayload = z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/), personId: z.string().uuid(), scope: z.string(), area: z.string() });
export type DigestSendPayload = z.infer<typeof digestSendPayload>;

export interface JobHandlers {
  /** Runs the SLA sweep at the scheduler's tick time. */
  slaSweep(now: Date): Promise<unknown>;
  /** Monday morning: list the digests to send for the week just ended. */
  planDigests(now: Date): Promise<DigestSendPayload[]>;
  sendDigest(payload: DigestSendPayload, now: Date): Promise<unknown>;
}

export interface JobRuntime {
  queues: Record<QueueName, Queue>;
  /** (Re)creates the job schedulers; safe to call on every start. */
  reconcileSchedulers(): Promise<void>;
  stop(): Promise<void>;
}

export interface JobRuntimeOptions {
  redisUrl: string;
  prefix?: string;
  zone: string;
  logger: Logger;
  handlers: JobHandlers;
  /** Start workers in this process (the worker and all roles); the web role only enqueues. */
  workers: boolean;
  sweepEveryMs?: number;
  /** The clock for job payloads; jobs get `now` from here, not from the wall. */
  now?: () => Date;
  onJob?: (queue: QueueName, outcome: 'completed' | 'failed', seconds: number) => void;
}

export async function startJobRuntime(opts: JobRuntimeOptions): Promise<JobRuntime> {
  const redisState = redisStateLog(opts.logger, 'jobs');
  const connection = redisState.watch(new Redis(opts.redisUrl, { maxRetriesPerRequest: null }));
  // Workers get connections of their own; BullMQ does not close connections it was given.
  const owned: Redis[] = [];
  const own = (r: Redis) => { owned.push(r); return r; };
  const prefix = opts.prefix ?? 'wardline';
  const queues = Object.fromEntries(QUEUE_NAMES.map((n) => [n, new Queue(n, { connection, prefix })])) as Record<QueueName, Queue>;
  for (const q of Object.values(queues)) q.on('error', (e) => redisState.failed(e));
  const now = opts.now ?? (() => new Date());
  const workers: Worker[] = [];

  const run = (name: QueueName, fn: (job: Job) => Promise<unknown>, concurrency = 1) => {
    const w = new Worker(name, async (job) => {
      const started = process.hrtime.bigint();
      const log = opts.logger.child({ queue: name, jobId: job.id });
      try {
        const result = await fn(job);
        opts.onJob?.(name, 'completed', Number(process.hrtime.bigint() - started) / 1e9);
        return result;
      } catch (e) {
        log.error({ err: e }, 'job failed');
        opts.onJob?.(name, 'failed', Number(process.hrtime.bigint() - started) / 1e9);
        throw e;
      }
    }, { connection: own(redisState.watch(connection.duplicate())), prefix, concurrency, stalledInterval: 30_000, maxStalledCount: 2 });
    w.on('error', (e) => redisState.failed(e));
    workers.push(w);
  };

  if (opts.workers) {
    run('sla-sweep', async () => {
      const r = await opts.handlers.slaSweep(now()) as { nextDueAt?: Date | null } | undefined;
      // The scheduler sweeps every minute; a check due before then gets a sweep of its own at
      // that moment, so reminders are not up to a minute late. The job id makes it one per moment.
      const next = r?.nextDueAt;
      const delay = next ? next.getTime() - now().getTime() : -1;
      if (next && delay <= (opts.sweepEveryMs ?? 60_000)) {
        // Already due again (it fell due while this sweep ran): at once. One job per moment.
        await queues['sla-sweep'].add('due', {}, { delay: Math.max(0, delay), jobId: `due-${next.getTime()}`, removeOnComplete: 100, removeOnFail: 100 });
      }
      return r;
    });
    run('digests', async () => {
      const plan = await opts.handlers.planDigests(now());
      await queues['digest-send'].addBulk(plan.map((p) => ({
        name: 'send', data: p,
        opts: { jobId: `digest|${p.week}|${p.personId}|${p.scope}|${p.area}`, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      })));
      return { planned: plan.length };
    });
    run('digest-send', (job) => opts.handlers.sendDigest(digestSendPayload.parse(job.data), now()), 4);
  }

  const reconcileSchedulers = async () => {
    await queues['sla-sweep'].upsertJobScheduler('sla-sweep', { every: opts.sweepEveryMs ?? 60_000 }, {
      name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 500 },
    });
    await queues.digests.upsertJobScheduler('weekly-ward-digest', { pattern: '0 8 * * 1', tz: opts.zone }, {
      name: 'weekly', opts: { removeOnComplete: 52, removeOnFail: 52 },
    });
  };
  await reconcileSchedulers();

  return {
    queues,
    reconcileSchedulers,
    stop: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      for (const r of owned) r.disconnect();
      connection.disconnect();
    },
  };
}
