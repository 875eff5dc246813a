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
  /** True while stored events are being handled (other work of the process may give way). */
  busy(): boolean;
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 6;

/**
 * Handles stored platform events after they were acknowledged, in bounded batches (one claim and
 * one mark per batch; the handler may take the batch in one transaction) so acks stay fast under
 * load; retried with back-off when the database or a platform call fails; kept (as `failed`, for
 * `wardline` admins to see) after six tries rather than dropped.
 */
export function startInboundWorker(o: {
  db: Db; clock: Clock; logger: Logger; platform: Platform;
  /** Handles the bodies in order; for each, null when done or why it failed (tried again later). */
  handleBatch: (bodies: unknown[]) => Promise<(string | null)[]>;
  /** Awaited before each batch: lets work that must answer first (acks, in the `all` role) go ahead. */
  giveWay?: () => Promise<void>;
  batchSize?: number; pollMs?: number; leaseMs?: number;
}): InboundWorker {
  const batchSize = o.batchSize ?? 50;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let waiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | null = null;

  async function retry(row: InboundRow, why: unknown): Promise<void> {
    const failed = row.attempts >= MAX_ATTEMPTS;
    const at = new Date(o.clock.now().getTime() + Math.min(300_000, 1000 * 2 ** row.attempts));
    o.logger.warn({ err: why, inbound: row.id, attempts: row.attempts, failed }, 'could not handle a stored event; will retry');
    await markInboundRetry(o.db, row.id, at, typeof why === 'string' ? why : errorSummary(why), failed).catch(() => undefined);
  }

  async function batch(rows: InboundRow[]): Promise<void> {
    let outcomes: (string | null)[];
    try {
      outcomes = await o.handleBatch(rows.map((r) => r.body));
    } catch (e) {
      outcomes = rows.map(() => errorSummary(e));
    }
    const done: number[] = [];
    for (const [i, row] of rows.entries()) {
      const why = outcomes[i];
      if (why === null) done.push(row.id);
      else await retry(row, why ?? 'not handled');
    }
    await markInboundDone(o.db, done);
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        await o.giveWay?.();
        if (stopped) return;
        const rows = await claimInbound(o.db, o.platform, o.clock.now(), o.leaseMs ?? 60_000, batchSize);
        if (!rows.length) break;
        await batch(rows);
        // Let waiting I/O (acks, in the `all` role) run before the next batch.
        await new Promise((r) => setImmediate(r));
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
    busy: () => running !== null,
    idle: () => (running ? new Promise<void>((ok) => waiters.push(ok)) : Promise.resolve()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      waiters = [];
    },
  };
}
