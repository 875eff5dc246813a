import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { SlaAction } from '../cases/sla-plan.js';
import { slaActionKey } from '../cases/sla-plan.js';
import type { Tx } from './client.js';
import { caseEvents, cases, slaChecks, slaNotifications } from './tables.js';

/** Claims due checks with SKIP LOCKED, so several workers can sweep at once without overlap. */
export async function claimDueChecks(db: Tx, now: Date, limit: number): Promise<string[]> {
  const rows = await db.select({ caseId: slaChecks.caseId }).from(slaChecks)
    .where(lte(slaChecks.dueAt, now)).orderBy(asc(slaChecks.dueAt)).limit(limit).for('update', { skipLocked: true });
  return rows.map((r) => r.caseId);
}

/** When the next check falls due (null: none), for waking the sweep exactly then. */
export async function nextCheckDue(db: Tx): Promise<Date | null> {
  const [row] = await db.select({ at: sql<string | null>`min(${slaChecks.dueAt})` }).from(slaChecks);
  return row?.at ? new Date(row.at) : null;
}

export async function sentKeysFor(db: Tx, caseIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(caseIds.map((id) => [id, new Set<string>()]));
  if (!caseIds.length) return out;
  const rows = await db.select().from(slaNotifications).where(inArray(slaNotifications.caseId, caseIds));
  for (const r of rows) out.get(r.caseId)?.add(slaActionKey({ kind: r.kind as SlaAction['kind'], dueAt: r.dueAt }));
  return out;
}

/** Records an action once; false when it was already recorded (then nothing is sent again). */
export async function recordSlaAction(db: Tx, caseId: string, action: SlaAction, at: Date): Promise<boolean> {
  const rows = await db.insert(slaNotifications).values({ caseId, kind: action.kind, dueAt: action.dueAt, sentAt: at })
    .onConflictDoNothing().returning({ caseId: slaNotifications.caseId });
  if (!rows.length) return false;
  const [c] = await db.select({ status: cases.status }).from(cases).where(eq(cases.id, caseId));
  const escalation = action.kind === 'escalate_senior' ? 2 : action.kind.startsWith('breach_') ? 1 : 0;
  await db.insert(caseEvents).values({
    caseId, type: escalation ? 'escalated' : 'reminded', actorId: null, at, fromStatus: c?.status ?? null, toStatus: c?.status ?? null,
    data: { kind: action.kind, dueAt: action.dueAt.toISOString() },
  });
  if (escalation) {
    await db.update(cases).set({ escalationLevel: sql`greatest(${cases.escalationLevel}, ${escalation})` }).where(eq(cases.id, caseId));
  }
  return true;
}

/** Sets the next checks of many cases in two statements at most (null: never again). */
export async function setNextChecks(db: Tx, next: { caseId: string; at: Date | null }[]): Promise<void> {
  const never = next.filter((n) => !n.at).map((n) => n.caseId);
  const later = next.filter((n) => n.at);
  if (never.length) await db.delete(slaChecks).where(inArray(slaChecks.caseId, never));
  if (!later.length) return;
  const rows = sql.join(later.map((n) => sql`(${n.caseId}::uuid, ${n.at!.toISOString()}::timestamptz)`), sql`, `);
  await db.execute(sql`update ${slaChecks} set due_at = v.at from (values ${rows}) as v(id, at) where ${slaChecks.caseId} = v.id`);
}

/** After any change to a case: look at it again now (the sweep re-plans), or never if it is settled. */
export async function scheduleSlaCheck(db: Tx, caseId: string, status: string, at: Date): Promise<void> {
  if (status === 'resolved' || status === 'closed' || status === 'needs_info') {
    await db.delete(slaChecks).where(eq(slaChecks.caseId, caseId));
    return;
  }
  await db.insert(slaChecks).values({ caseId, dueAt: at })
    .onConflictDoUpdate({ target: slaChecks.caseId, set: { dueAt: at } });
}

export async function countDueChecks(db: Tx, now: Date): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(slaChecks).where(and(lte(slaChecks.dueAt, now)));
  return row?.n ?? 0;
}
