import type { Db } from '../db/client.js';
import {
  beginSend, claimOutbox, holdTarget, markFailed, markRetry, markSent, renewLease, sentMessage, type ClaimedRow, type OutboxRow, type SentMessage,
} from '../db/outbox-delivery-repo.js';
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
    /** When the first try began (the platform has nothing of it from before): how far back to look. */
    since: Date | null;
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

const backoffMs = (attempts: number) => Math.min(600_000, 1000 * 2 ** attempts);

/**
 * Delivers one batch; returns how many rows it claimed. Messages to one target go in order. The
 * batch ends only when every target's sends have ended, so batches of one worker never overlap.
 */
export async function deliverBatch(deps: DeliveryDeps): Promise<number> {
  const byPlatform = new Map(deps.deliverers.map((d) => [d.platform, d]));
  const rows = await claimOutbox(deps.db, deps.clock.now(), leaseOf(deps), deps.batch ?? 100, [...byPlatform.keys()]);
  const byTarget = new Map<string, ClaimedRow[]>();
  for (const r of rows) byTarget.set(`${r.platform}:${r.target}`, [...(byTarget.get(`${r.platform}:${r.target}`) ?? []), r]);
  const settled = await Promise.allSettled([...byTarget.values()].map(async (list) => {
    for (const row of list) {
      const held = await deliverOne(deps, byPlatform.get(row.platform)!, row);
      if (held) {
        // Keep the order: everything after a held message waits too, claimed here or not.
        await holdTarget(deps.db, row.platform, row.target, held, list.slice(list.indexOf(row) + 1));
        break;
      }
    }
  }));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return rows.length;
}

const leaseOf = (deps: DeliveryDeps) => deps.leaseMs ?? 60_000;

/** Returns the time the target is held until when the message could not go now. */
async function deliverOne(deps: DeliveryDeps, d: Deliverer, row: ClaimedRow): Promise<Date | null> {
  const now = () => deps.clock.now();
  const log = deps.logger.child({ outboxId: row.id, platform: row.platform });
  const wait = await deps.limiter.take(d.rateRules(row));
  if (wait > 0) {
    deps.onOutcome?.(row.platform, 'limited');
    const until = new Date(now().getTime() + wait);
    await markRetry(deps.db, row, until, row.lastError, false);
    return until;
  }
  // The fence: only the holder of the current claim sends, and from here on the row remembers that it may be out.
  if (!(await beginSend(deps.db, row, now(), new Date(now().getTime() + leaseOf(deps))))) {
    log.warn('another worker took this message over; not sending it');
    return null;
  }
  try {
    const ctx = { sentMessage: (key: string) => sentMessage(deps.db, key), mayExist: row.sendStartedAt !== null || row.attempts > 0 || row.reclaimed, since: row.sendStartedAt };
    const result = await whileLeased(deps, row, log, () => d.deliver(row, ctx));
    if (!(await markSent(deps.db, row, now(), result))) log.warn('sent after another worker took this message over; it finds the post and does not send again');
    deps.onOutcome?.(row.platform, 'sent');
    return null;
  } catch (e) {
    return settleFailure(deps, row, e instanceof DeliveryError ? e : new DeliveryError('transient', (e as Error).message), log);
  }
}

/** Renews the claim's lease while a slow send is in flight, so that no other worker takes it over meanwhile. */
async function whileLeased<T>(deps: DeliveryDeps, row: ClaimedRow, log: Logger, send: () => Promise<T>): Promise<T> {
  const lease = leaseOf(deps);
  const timer = setInterval(() => {
    renewLease(deps.db, row, new Date(deps.clock.now().getTime() + lease)).then(
      (ok) => { if (!ok) log.warn('lost the claim on a message while sending it'); },
      () => undefined, // the database is away: the lease runs on, and the next renewal tries again
    );
  }, Math.max(50, Math.floor(lease / 3)));
  try {
    return await send();
  } finally {
    clearInterval(timer);
  }
}

async function settleFailure(deps: DeliveryDeps, row: ClaimedRow, err: DeliveryError, log: Logger): Promise<Date | null> {
  const now = deps.clock.now();
  if (err.kind === 'rate_limited') {
    const until = new Date(now.getTime() + (err.retryAfterMs ?? 1000));
    await markRetry(deps.db, row, until, err.message, false);
    deps.onOutcome?.(row.platform, 'limited');
    return until;
  }
  if (err.kind === 'permanent' || row.attempts + 1 >= (deps.maxAttempts ?? 8)) {
    log.warn({ error: err.message }, 'message failed for good');
    if (await markFailed(deps.db, row, err.message)) await deps.onFailed?.(row, err.message);
    deps.onOutcome?.(row.platform, 'failed');
    return null;
  }
  log.info({ error: err.message, attempts: row.attempts + 1 }, 'message will be retried');
  const until = new Date(now.getTime() + backoffMs(row.attempts));
  await markRetry(deps.db, row, until, err.message, true);
  deps.onOutcome?.(row.platform, 'retry');
  return until;
}

export interface DeliveryLoopOptions {
  idleMs?: number;
  /** True while work that should come first is waiting (stored chat events to handle). */
  yieldTo?: () => boolean;
  /** While `yieldTo` says so, the share of the time delivery may take (0–1, default 0.25). */
  busyShare?: number;
}

/** The longest delivery pauses after one batch while other work comes first. */
export const MAX_YIELD_MS = 5_000;

/** How long to pause after a batch that took `spentMs`, so that delivery takes at most `share` of the time. */
export function yieldPauseMs(spentMs: number, share: number): number {
  if (share >= 1) return 0;
  return Math.min(MAX_YIELD_MS, (spentMs * (1 - share)) / Math.max(share, 0.01));
}

/**
 * The delivery worker: a loop that drains the outbox, sleeping briefly when it is empty. While
 * `yieldTo` says other work is waiting, it pauses after each batch so that it takes no more than
 * its share of the process, and goes on at full speed as soon as that work is done.
 */
export function startDeliveryLoop(deps: DeliveryDeps, opts: DeliveryLoopOptions = {}): { wake(): void; stop(): Promise<void> } {
  let running = true;
  let wakeUp: (() => void) | null = null;
  const pause = (ms: number, onWake: boolean) => new Promise<void>((ok) => {
    const t = setTimeout(ok, ms);
    wakeUp = onWake ? () => { clearTimeout(t); ok(); } : () => undefined;
  }).finally(() => { wakeUp = null; });
  /** Pauses in short steps, ending early when the other work is done or the loop stops. */
  const yieldFor = async (ms: number) => {
    for (let left = ms; left > 0 && running && opts.yieldTo?.(); left -= 50) await pause(Math.min(50, left), false);
  };
  const done = (async () => {
    while (running) {
      let claimed = 0;
      const started = performance.now();
      try {
        claimed = await deliverBatch(deps);
      } catch (e) {
        deps.logger.warn({ err: (e as Error).message }, 'delivery batch failed; retrying');
      }
      if (claimed === 0 && running) await pause(opts.idleMs ?? 250, true);
      else if (opts.yieldTo?.()) await yieldFor(yieldPauseMs(performance.now() - started, opts.busyShare ?? 0.25));
    }
  })();
  return {
    wake: () => (wakeUp as (() => void) | null)?.(),
    stop: async () => { running = false; (wakeUp as (() => void) | null)?.(); await done; },
  };
}
