import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Platform } from '../shared/enums.js';
import type { Tx } from './client.js';
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

/**
 * Stores events arriving close together in one INSERT (one round trip and one commit for many
 * acknowledgements under load); each caller learns whether its event was new.
 */
export function inboundBatcher(db: Tx, platform: Platform, now: () => Date, maxWaitMs = 2, maxBatch = 200) {
  type Waiting = { key: string; body: unknown; ok: (fresh: boolean) => void; fail: (e: unknown) => void };
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = async () => {
    timer = null;
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    const at = now();
    try {
      // One row per key: the same event twice in one batch is stored once.
      const unique = [...new Map(batch.map((w) => [w.key, w])).values()];
      const rows = await db.insert(inboundQueue).values(unique.map((w) => ({ platform, eventKey: w.key, body: w.body, receivedAt: at, nextAttemptAt: at })))
        .onConflictDoNothing().returning({ eventKey: inboundQueue.eventKey });
      const fresh = new Set(rows.map((r) => r.eventKey));
      for (const w of batch) {
        w.ok(fresh.has(w.key));
        fresh.delete(w.key);
      }
    } catch (e) {
      for (const w of batch) w.fail(e);
    }
  };
  return (key: string, body: unknown): Promise<boolean> => new Promise((ok, fail) => {
    waiting.push({ key, body, ok, fail });
    if (waiting.length >= maxBatch) void flush();
    else timer ??= setTimeout(() => void flush(), maxWaitMs);
  });
}
