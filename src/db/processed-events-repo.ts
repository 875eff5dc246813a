import { and, eq, lt, sql } from 'drizzle-orm';
import { insertJsonRows, rowsOf } from './bulk-sql.js';
import type { Tx } from './client.js';
import { processedEvents } from './tables.js';

/**
 * Records an inbound delivery (e.g. Slack's `team_id:event_id`); true the first time, false for a
 * retry or a second delivery, which must then do nothing.
 */
export async function markProcessed(db: Tx, source: string, eventKey: string, at: Date): Promise<boolean> {
  const rows = await db.insert(processedEvents).values({ source, eventKey, receivedAt: at }).onConflictDoNothing()
    .returning({ eventKey: processedEvents.eventKey });
  return rows.length > 0;
}

/**
 * Records many deliveries in one statement; returns the `source:eventKey` of those seen for the
 * first time (a key given twice is recorded once).
 */
export async function markProcessedMany(db: Tx, keys: { source: string; eventKey: string }[], at: Date): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const unique = [...new Map(keys.map((k) => [`${k.source}:${k.eventKey}`, k])).values()];
  const rows = rowsOf<{ source: string; event_key: string }>(await db.execute(insertJsonRows(processedEvents,
    unique.map((k) => ({ source: k.source, eventKey: k.eventKey, receivedAt: at })), sql`on conflict do nothing returning source, event_key`)));
  return new Set(rows.map((r) => `${r.source}:${r.event_key}`));
}

/** Forgets deliveries older than the window (at least an hour is kept). */
export async function pruneProcessed(db: Tx, olderThan: Date): Promise<number> {
  const rows = await db.delete(processedEvents).where(lt(processedEvents.receivedAt, olderThan)).returning({ k: processedEvents.eventKey });
  return rows.length;
}

/** Forgets one delivery whose handling failed, so the platform's retry is handled afresh. */
export async function forgetProcessed(db: Tx, source: string, eventKey: string): Promise<void> {
  await db.delete(processedEvents).where(and(eq(processedEvents.source, source), eq(processedEvents.eventKey, eventKey)));
}
