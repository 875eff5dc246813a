import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Platform } from '../shared/enums.js';
import type { Tx } from './client.js';
import { outbox } from './tables.js';

export type OutboxRow = typeof outbox.$inferSelect;

export type ClaimedRow = OutboxRow & { claimToken: string; reclaimed: boolean };

/**
 * Claims due messages: pending ones, and ones left `sending` by a worker that died or stalled (its
 * lease ran out). SKIP LOCKED lets several workers claim side by side. Each claim gets a new token:
 * a worker whose lease ran out and was taken over can no longer change the row (see `beginSend`).
 */
export async function claimOutbox(db: Tx, now: Date, leaseMs: number, limit: number, platforms: Platform[]): Promise<ClaimedRow[]> {
  if (!platforms.length) return [];
  return db.transaction(async (tx) => {
    const due = await tx.select({ id: outbox.id, status: outbox.status }).from(outbox)
      .where(and(or(eq(outbox.status, 'pending'), eq(outbox.status, 'sending')), lte(outbox.nextAttemptAt, now), inArray(outbox.platform, platforms)))
      .orderBy(asc(outbox.id)).limit(limit).for('update', { skipLocked: true });
    if (!due.length) return [];
    const reclaimed = new Set(due.filter((d) => d.status === 'sending').map((d) => d.id));
    const claimToken = randomUUID();
    const rows = await tx.update(outbox).set({ status: 'sending', nextAttemptAt: new Date(now.getTime() + leaseMs), claimToken })
      .where(inArray(outbox.id, due.map((d) => d.id))).returning();
    // UPDATE … RETURNING comes back in storage order, not id order: messages to a target go in id order.
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ ...r, claimToken, reclaimed: reclaimed.has(r.id) }));
  });
}

/** The row as long as this claim still holds it. */
const held = (row: Pick<ClaimedRow, 'id' | 'claimToken'>) => and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.claimToken, row.claimToken));

/**
 * The fence before a send: re-confirms the claim and renews its lease in one statement, and notes
 * that a send has begun. False when another worker has taken the row over: do not send.
 */
export async function beginSend(db: Tx, row: Pick<ClaimedRow, 'id' | 'claimToken'>, now: Date, leaseUntil: Date): Promise<boolean> {
  const r = await db.update(outbox).set({ nextAttemptAt: leaseUntil, sendStartedAt: sql`coalesce(${outbox.sendStartedAt}, ${now.toISOString()}::timestamptz)` })
    .where(held(row)).returning({ id: outbox.id });
  return r.length === 1;
}

/** Keeps the lease of a send still in flight. False when the claim is lost. */
export async function renewLease(db: Tx, row: Pick<ClaimedRow, 'id' | 'claimToken'>, leaseUntil: Date): Promise<boolean> {
  const r = await db.update(outbox).set({ nextAttemptAt: leaseUntil }).where(held(row)).returning({ id: outbox.id });
  return r.length === 1;
}

/** Each mark below changes the row only while the claim holds; each returns whether it did. */
export async function markSent(db: Tx, row: Pick<ClaimedRow, 'id' | 'claimToken'>, at: Date, sent: { platformMessageId: string | null; platformChannelId?: string | null }): Promise<boolean> {
  const r = await db.update(outbox).set({
    status: 'sent', sentAt: at, platformMessageId: sent.platformMessageId, platformChannelId: sent.platformChannelId ?? null, lastError: null, claimToken: null,
  }).where(held(row)).returning({ id: outbox.id });
  return r.length === 1;
}

export async function markRetry(db: Tx, row: Pick<ClaimedRow, 'id' | 'claimToken'>, at: Date, error: string | null, countAttempt: boolean): Promise<boolean> {
  const r = await db.update(outbox).set({
    status: 'pending', nextAttemptAt: at, lastError: error, claimToken: null,
    ...(countAttempt ? { attempts: sql`${outbox.attempts} + 1` } : {}),
  }).where(held(row)).returning({ id: outbox.id });
  return r.length === 1;
}

/**
 * Holds every waiting message to a target until `until` (a rate limit or Retry-After): they keep
 * their order, and later claims skip them instead of taking and putting back each in turn.
 */
export async function holdTarget(db: Tx, platform: Platform, target: string, until: Date, claimed: Pick<ClaimedRow, 'id' | 'claimToken'>[]): Promise<void> {
  const waiting = and(eq(outbox.platform, platform), eq(outbox.target, target), eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, until));
  const ours = claimed.length
    ? and(inArray(outbox.id, claimed.map((r) => r.id)), eq(outbox.status, 'sending'), eq(outbox.claimToken, claimed[0]!.claimToken))
    : undefined;
  await db.update(outbox).set({ status: 'pending', nextAttemptAt: until, claimToken: null }).where(ours ? or(waiting, ours) : waiting);
}

export async function markFailed(db: Tx, row: Pick<ClaimedRow, 'id' | 'claimToken'>, error: string): Promise<boolean> {
  const r = await db.update(outbox).set({ status: 'failed', lastError: error, attempts: sql`${outbox.attempts} + 1`, claimToken: null })
    .where(held(row)).returning({ id: outbox.id });
  return r.length === 1;
}

export interface SentMessage {
  status: string;
  messageId: string | null;
  channelId: string | null;
}

/** Where an earlier outbox message went (to edit it in place or reply in its thread). */
export async function sentMessage(db: Tx, idempotencyKey: string): Promise<SentMessage | null> {
  const [row] = await db.select({ status: outbox.status, messageId: outbox.platformMessageId, channelId: outbox.platformChannelId })
    .from(outbox).where(eq(outbox.idempotencyKey, idempotencyKey));
  return row ?? null;
}

export async function listFailedOutbox(db: Tx, limit = 100): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.status, 'failed')).orderBy(desc(outbox.id)).limit(limit);
}

/** Puts failed messages back in the queue: one by id, or all. Returns how many. */
export async function retryFailedOutbox(db: Tx, at: Date, id?: number): Promise<number> {
  const rows = await db.update(outbox).set({ status: 'pending', nextAttemptAt: at, attempts: 0 })
    .where(id === undefined ? eq(outbox.status, 'failed') : and(eq(outbox.status, 'failed'), eq(outbox.id, id))).returning({ id: outbox.id });
  return rows.length;
}

export async function outboxDepth(db: Tx): Promise<Record<string, number>> {
  const rows = await db.select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
