import { asc, desc, eq, gte } from 'drizzle-orm';
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
 * The audit log is append-only: this module only inserts and reads it, and the database refuses
 * any UPDATE, DELETE or TRUNCATE of it (src/db/audit-guard.ts). `detail` says what was done,
 * never residents' details.
 */
export async function recordAudit(db: Tx, entry: { actor: string; action: string; detail?: Record<string, unknown> }, at: Date = new Date()): Promise<void> {
  await db.insert(auditLog).values({ at, actor: entry.actor.slice(0, 200), action: entry.action, detail: entry.detail ?? {} });
}

export async function listAudit(db: Tx, opts: { since?: Date } = {}): Promise<AuditEntry[]> {
  return db.select().from(auditLog).where(opts.since ? gte(auditLog.at, opts.since) : undefined).orderBy(asc(auditLog.id));
}

/** The newest entry of one kind, or null. */
export async function latestAudit(db: Tx, action: string): Promise<AuditEntry | null> {
  const [row] = await db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1);
  return row ?? null;
}
