import { claimInbound, markInboundDone, markInboundRetry, type InboundRow } from '../db/inbound-repo.js';
import type { Db } from '../db/client.js';
import type { Platform } from '../shared/enums.js';
import type { Clock } from '../shared/clock.js';
import { errorSummary, type Logger } from '../shared/logger.js';

export interface InboundWorker {
  /** Something was stored: look now rather than at the next poll. */
  wake(): void;
  /** Resolves when nothing due is left (for tests and benchmarks). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 6;

/**
 * Handles stored platform events after they were acknowledged: a few at a time, so acks stay
 * fast under load; retried with back-off when the database or a platform call fails; kept (as
 * `failed`, for `wardline` admins to see) after six tries rather than dropped.
 */
export function startInboundWorker(o: {
  db: Db; clock: Clock; logger: Logger; platform: Platform; handle: (body: unknown) => Promise<void>;
  concurrency?: number; pollMs?: number; leaseMs?: number;
}): InboundWorker {
  const concurrency = o.concurrency ?? 8;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let waiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | null = null;

  async function one(row: InboundRow): Promise<boolean> {
    try {
      await o.handle(row.body);
      return true;
    } catch (e) {
      const failed = row.attempts >= MAX_ATTEMPTS;
      const at = new Date(o.clock.now().getTime() + Math.min(300_000, 1000 * 2 ** row.attempts));
      o.logger.warn({ err: e, inbound: row.id, attempts: row.attempts, failed }, 'could not handle a stored event; will retry');
      await markInboundRetry(o.db, row.id, at, errorSummary(e), failed).catch(() => undefined);
      return false;
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        const rows = await claimInbound(o.db, o.platform, o.clock.now(), o.leaseMs ?? 60_000, concurrency * 4);
        if (!rows.length) break;
        const done: number[] = [];
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
          while (next < rows.length) {
            const row = rows[next++]!;
            if (await one(row)) done.push(row.id);
          }
        }));
        await markInboundDone(o.db, done);
      }
    } while (again);
  }

  const kick = () => {
    if (stopped) return;
    if (running) { again = true; return; }
    running = drain().catch((e: unknown) => { o.logger.warn({ err: e }, 'inbound queue unavailable; will retry'); })
      .finally(() => {
        running = null;
        if (again && !stopped) { kick(); return; }
        for (const w of waiters.splice(0)) w();
      });
  };
  const poll = () => { kick(); timer = setTimeout(poll, o.pollMs ?? 1000); timer.unref(); };
  poll();

  return {
    wake: kick,
    idle: () => (running ? new Promise<void>((ok) => waiters.push(ok)) : Promise.resolve()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      waiters = [];
    },
  };
}
