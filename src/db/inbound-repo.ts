import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Platform } from '../shared/enums.js';
import type { Tx } from './client.js';
import { isPoisonDbError, sqlState } from './db-errors.js';
import { inboundQueue } from './tables.js';

export type InboundRow = typeof inboundQueue.$inferSelect;

/**
 * Claims due events (pending, or leased by a process that died) for `leaseMs`; SKIP LOCKED lets
 * several processes share the queue.
 */
export async function claimInbound(db: Tx, platform: Platform, now: Date, leaseMs: number, limit: number): Promise<InboundRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select({ id: inboundQueue.id }).from(inboundQueue)
      .where(and(eq(inboundQueue.platform, platform), eq(inboundQueue.status, 'pending'), lte(inboundQueue.nextAttemptAt, now)))
      .orderBy(asc(inboundQueue.id)).limit(limit).for('update', { skipLocked: true });
    if (!due.length) return [];
    return tx.update(inboundQueue).set({ nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: sql`${inboundQueue.attempts} + 1` })
      .where(inArray(inboundQueue.id, due.map((d) => d.id))).returning();
  });
}

/** Handled: the body (residents' details) is dropped; the key stays to refuse repeats. */
export async function markInboundDone(db: Tx, ids: number[]): Promise<void> {
  if (ids.length) await db.update(inboundQueue).set({ status: 'done', body: null, lastError: null }).where(inArray(inboundQueue.id, ids));
}

export async function markInboundRetry(db: Tx, id: number, at: Date, error: string, failed: boolean): Promise<void> {
  await db.update(inboundQueue).set({ nextAttemptAt: at, lastError: error, ...(failed ? { status: 'failed' as const } : {}) }).where(eq(inboundQueue.id, id));
}

/** Forgets handled events older than the window (retries come within the hour). */
export async function pruneInbound(db: Tx, olderThan: Date): Promise<number> {
  const rows = await db.delete(inboundQueue).where(and(or(eq(inboundQueue.status, 'done'), eq(inboundQueue.status, 'failed')), lt(inboundQueue.receivedAt, olderThan)))
    .returning({ id: inboundQueue.id });
  return rows.length;
}

export async function inboundDepth(db: Tx): Promise<Record<string, number>> {
  const rows = await db.select({ status: inboundQueue.status, n: sql<number>`count(*)::int` }).from(inboundQueue).groupBy(inboundQueue.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** What became of a stored event: new, a repeat of one already stored, or parked as `failed`. */
export type StoreOutcome = { kind: 'stored' } | { kind: 'repeat' } | { kind: 'parked'; reason: string };

type Waiting = { key: string; body: unknown; ok: (o: StoreOutcome) => void; fail: (e: unknown) => void };

/**
 * Stores events arriving close together in one INSERT (one round trip and one commit for many
 * acknowledgements under load); each caller learns whether its event was new. When the database
 * refuses the batch for what a row holds, each row is stored alone: the bad one is parked as
 * `failed` with the reason (its body dropped) and the good ones are stored as usual.
 */
export function inboundBatcher(db: Tx, platform: Platform, now: () => Date, maxWaitMs = 2, maxBatch = 200) {
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  const insert = async (rows: Waiting[], at: Date): Promise<Set<string>> => {
    const stored = await db.insert(inboundQueue).values(rows.map((w) => ({ platform, eventKey: w.key, body: w.body, receivedAt: at, nextAttemptAt: at })))
      .onConflictDoNothing().returning({ eventKey: inboundQueue.eventKey });
    return new Set(stored.map((r) => r.eventKey));
  };
  const settle = (batch: Waiting[], fresh: Set<string>, parked: Map<string, string>) => {
    for (const w of batch) {
      const reason = parked.get(w.key);
      if (reason !== undefined) w.ok({ kind: 'parked', reason });
      else w.ok(fresh.has(w.key) ? { kind: 'stored' } : { kind: 'repeat' });
      fresh.delete(w.key);
      parked.delete(w.key);
    }
  };
  const flush = async () => {
    timer = null;
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    const at = now();
    // One row per key: the same event twice in one batch is stored once.
    const unique = [...new Map(batch.map((w) => [w.key, w])).values()];
    try {
      settle(batch, await insert(unique, at), new Map());
    } catch (e) {
      if (!isPoisonDbError(e)) {
        for (const w of batch) w.fail(e);
        return;
      }
      await isolate(batch, unique, at);
    }
  };
  const isolate = async (batch: Waiting[], unique: Waiting[], at: Date) => {
    const fresh = new Set<string>();
    const parked = new Map<string, string>();
    const failed = new Map<string, unknown>();
    for (const w of unique) {
      try {
        for (const k of await insert([w], at)) fresh.add(k);
      } catch (e) {
        if (!isPoisonDbError(e)) { failed.set(w.key, e); continue; }
        const reason = `the database refused the event (SQLSTATE ${sqlState(e)})`;
        try {
          await db.insert(inboundQueue).values({ platform, eventKey: w.key, body: null, status: 'failed', lastError: reason, receivedAt: at, nextAttemptAt: at })
            .onConflictDoNothing();
          parked.set(w.key, reason);
        } catch (e2) {
          failed.set(w.key, e2);
        }
      }
    }
    const rest = batch.filter((w) => !failed.has(w.key));
    for (const w of batch) if (failed.has(w.key)) w.fail(failed.get(w.key));
    settle(rest, fresh, parked);
  };
  return (key: string, body: unknown): Promise<StoreOutcome> => new Promise((ok, fail) => {
    waiting.push({ key, body, ok, fail });
    if (waiting.length >= maxBatch) void flush();
    else timer ??= setTimeout(() => void flush(), maxWaitMs);
  });
}
