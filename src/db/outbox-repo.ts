import type { OutboundMessage } from '../cases/case-record.js';
import { sql } from 'drizzle-orm';
import { insertJsonRows } from './bulk-sql.js';
import type { Tx } from './client.js';
import { outbox } from './tables.js';

/** Writes outbound messages in the caller's transaction; the idempotency key makes a repeat a no-op. */
export async function enqueueOutbound(db: Tx, messages: OutboundMessage[], caseId: string | null, at: Date): Promise<void> {
  if (!messages.length) return;
  await db.execute(insertJsonRows(outbox, messages.map((m) => ({
    idempotencyKey: m.idempotencyKey, platform: m.platform, target: m.target, payload: m.payload,
    caseId, createdAt: at, nextAttemptAt: at,
  })), sql`on conflict do nothing`));
}
