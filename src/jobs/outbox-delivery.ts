import type { Db } from '../db/client.js';
import { claimOutbox, holdTarget, markFailed, markRetry, markSent, sentMessage, type OutboxRow, type SentMessage } from '../db/outbox-delivery-repo.js';
import type { Clock } from '../shared/clock.js';
import type { Platform } from '../shared/enums.js';
import type { Logger } from '../shared/logger.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';

export const DELIVERY_ERROR_KINDS = ['rate_limited', 'transient', 'permanent'] as const;
export type DeliveryErrorKind = (typeof DELIVERY_ERROR_KINDS)[number];

/** What an adapter throws when a platform refuses a message. */
export class DeliveryError extends Error {
  constructor(readonly kind: DeliveryErrorKind, message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryResult {
  platformMessageId: string | null;
  platformChannelId?: string | null;
}

/** One platform's sender: the adapter turns the neutral payload into an API call. */
export interface Deliverer {
  platform: Platform;
  rateRules(row: OutboxRow): RateRule[];
  deliver(row: OutboxRow, ctx: {
    sentMessage(idempotencyKey: string): Promise<SentMessage | null>;
    /** The message may already be on the platform: an earlier try failed after sending, or its worker died. */
    mayExist: boolean;
  }): Promise<DeliveryResult>;
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  limiter: RateLimiter;
  deliverers: Deliverer[];
  onFailed?: (row: OutboxRow, error: string) => Promise<void>;
  onOutcome?: (platform: Platform, outcome: 'sent' | 'retry' | 'failed' | 'limited') => void;
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
}

type ClaimedRow = OutboxRow & { reclaimed: boolean };

const backoffMs = (attempts: number) => Math.min(600_000, 1000 * 2 ** attempts);

/** Delivers one batch; returns how many rows it claimed. Messages to one target go in order. */
export async function deliverBatch(deps: DeliveryDeps): Promise<number> {
  const byPlatform = new Map(deps.deliverers.map((d) => [d.platform, d]));
  const rows = await claimOutbox(deps.db, deps.clock.now(), deps.leaseMs ?? 60_000, deps.batch ?? 100, [...byPlatform.keys()]);
  const byTarget = new Map<string, ClaimedRow[]>();
  for (const r of rows) byTarget.set(`${r.platform}:${r.target}`, [...(byTarget.get(`${r.platform}:${r.target}`) ?? []), r]);
  await Promise.all([...byTarget.values()].map(async (list) => {
    for (const row of list) {
      const held = await deliverOne(deps, byPlatform.get(row.platform)!, row);
      if (held) {
        // Keep the order: everything after a held message waits too, claimed here or not.
        await holdTarget(deps.db, row.platform, row.target, held, list.slice(list.indexOf(row) + 1).map((r) => r.id));
        break;
      }
    }
  }));
  return rows.length;
}

/** Returns the time the target is held until when the message could not go now. */
async function deliverOne(deps: DeliveryDeps, d: Deliverer, row: ClaimedRow): Promise<Date | null> {
  const now = () => deps.clock.now();
  const wait = await deps.limiter.take(d.rateRules(row));
  if (wait > 0) {
    deps.onOutcome?.(row.platform, 'limited');
    const until = new Date(now().getTime() + wait);
    await markRetry(deps.db, row.id, until, row.lastError, false);
    return until;
  }
  try {
    const result = await d.deliver(row, { sentMessage: (key) => sentMessage(deps.db, key), mayExist: row.attempts > 0 || row.reclaimed });
    await markSent(deps.db, row.id, now(), result);
    deps.onOutcome?.(row.platform, 'sent');
    return null;
  } catch (e) {
    const err = e instanceof DeliveryError ? e : new DeliveryError('transient', (e as Error).message);
    const log = deps.logger.child({ outboxId: row.id, platform: row.platform });
    if (err.kind === 'rate_limited') {
      const until = new Date(now().getTime() + (err.retryAfterMs ?? 1000));
      await markRetry(deps.db, row.id, until, err.message, false);
      deps.onOutcome?.(row.platform, 'limited');
      return until;
    }
    if (err.kind === 'permanent' || row.attempts + 1 >= (deps.maxAttempts ?? 8)) {
      log.warn({ error: err.message }, 'message failed for good');
      await markFailed(deps.db, row.id, err.message);
      await deps.onFailed?.(row, err.message);
      deps.onOutcome?.(row.platform, 'failed');
      return null;
    }
    log.info({ error: err.message, attempts: row.attempts + 1 }, 'message will be retried');
    const until = new Date(now().getTime() + backoffMs(row.attempts));
    await markRetry(deps.db, row.id, until, err.message, true);
    deps.onOutcome?.(row.platform, 'retry');
    return until;
  }
}

/** The delivery worker: a loop that drains the outbox, sleeping briefly when it is empty. */
export function startDeliveryLoop(deps: DeliveryDeps, opts: { idleMs?: number } = {}): { wake(): void; stop(): Promise<void> } {
  let running = true;
  let wakeUp: (() => void) | null = null;
  const done = (async () => {
    while (running) {
      let claimed = 0;
      try {
        claimed = await deliverBatch(deps);
      } catch (e) {
        deps.logger.warn({ err: (e as Error).message }, 'delivery batch failed; retrying');
      }
      if (claimed === 0 && running) {
        await new Promise<void>((ok) => {
          const t = setTimeout(ok, opts.idleMs ?? 250);
          wakeUp = () => { clearTimeout(t); ok(); };
        });
        wakeUp = null;
      }
    }
  })();
  return {
    wake: () => (wakeUp as (() => void) | null)?.(),
    stop: async () => { running = false; (wakeUp as (() => void) | null)?.(); await done; },
  };
}
