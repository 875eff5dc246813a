import { asc, gte } from 'drizzle-orm';
import type { Tx } from './client.js';
import { auditLog } from './tables.js';

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * The audit log is append-only: this module only inserts and reads it; nothing in wardline
 * updates or deletes a row. `detail` says what was done, never residents' details.
 */
export async function recordAudit(db: Tx, entry: { actor: string; action: string; detail?: Record<string, unknown> }, at: Date = new Date()): Promise<void> {
  await db.insert(auditLog).values({ at, actor: entry.actor.slice(0, 200), action: entry.action, detail: entry.detail ?? {} });
}

export async function listAudit(db: Tx, opts: { since?: Date } = {}): Promise<AuditEntry[]> {
  return db.select().from(auditLog).where(opts.since ? gte(auditLog.at, opts.since) : undefined).orderBy(asc(auditLog.id));
}
