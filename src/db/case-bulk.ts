import { sql } from 'drizzle-orm';
import type { CaseEvent, CaseToOpen, ConversationLink, OutboundMessage } from '../cases/case-record.js';
import type { CaseStatus } from '../shared/enums.js';
import { asCaseId, type CaseId } from '../shared/ids.js';
import type { Tx } from './client.js';
import { recordCasesOpened } from './dashboard-stats.js';
import { caseEvents, cases, conversationLinks, outbox, slaChecks } from './tables.js';

/** The advisory lock that numbers cases one at a time (any constant unique to this use). */
export const CASE_NUMBER_LOCK = 0x574c_0001;

export interface OpenedRows {
  rows: (typeof cases.$inferSelect)[];
  events: CaseEvent[];
  links: ConversationLink[][];
}

/**
 * Opens many cases with one statement per table. The numbers are taken in one step under the
 * numbering lock (the next ones after the highest, in the order given), so references still have
 * no gaps; rows, events and links come back in the order given.
 */
export async function insertOpenedCases(db: Tx, items: CaseToOpen[], at: Date): Promise<OpenedRows> {
  if (!items.length) return { rows: [], events: [], links: [] };
  await db.execute(sql`select pg_advisory_xact_lock(${CASE_NUMBER_LOCK})`);
  const inserted = await db.insert(cases).values(items.map((it, k) => ({
    ...it.caseRow, seq: sql`(select coalesce(max(${cases.seq}), 0) + ${k + 1} from ${cases})`,
  }))).returning();
  const rows = inserted.sort((a, b) => a.seq - b.seq);
  const ids = rows.map((r) => r.id);
  await recordCasesOpened(db, ids);
  const due = rows.filter((r) => r.status !== 'resolved' && r.status !== 'closed' && r.status !== 'needs_info');
  if (due.length) {
    await db.insert(slaChecks).values(due.map((r) => ({ caseId: r.id, dueAt: r.updatedAt })))
      .onConflictDoUpdate({ target: slaChecks.caseId, set: { dueAt: sql`excluded.due_at` } });
  }
  const links = items.map((it, k) => (it.link ? [{ ...it.link, caseId: asCaseId(ids[k]!) }] : []));
  const linkRows = links.flat();
  if (linkRows.length) {
    await db.insert(conversationLinks).values(linkRows.map((l) => ({ ...l, createdAt: at }))).onConflictDoUpdate({
      target: [conversationLinks.platform, conversationLinks.channelId, conversationLinks.threadId, conversationLinks.caseId],
      set: { messageId: sql`coalesce(excluded.message_id, ${conversationLinks.messageId})`, cardKey: sql`coalesce(excluded.card_key, ${conversationLinks.cardKey})` },
    });
  }
  const eventRows = await db.insert(caseEvents).values(items.map((it, k) => ({ ...it.event, caseId: ids[k]! }))).returning();
  const byCase = new Map(eventRows.map((e) => [e.caseId, e]));
  const events = ids.map((id) => {
    const e = byCase.get(id)!;
    return {
      id: e.id, caseId: asCaseId(e.caseId), type: e.type, actorId: e.actorId as CaseEvent['actorId'], at: e.at,
      fromStatus: e.fromStatus as CaseStatus | null, toStatus: e.toStatus as CaseStatus | null, data: (e.data ?? {}) as Record<string, unknown>,
    };
  });
  return { rows, events, links };
}

/** Outbound messages of many cases in one statement; the idempotency key makes a repeat a no-op. */
export async function enqueueOutboundMany(db: Tx, groups: { messages: OutboundMessage[]; caseId: CaseId | null }[], at: Date): Promise<void> {
  const values = groups.flatMap((g) => g.messages.map((m) => ({
    idempotencyKey: m.idempotencyKey, platform: m.platform, target: m.target, payload: m.payload, caseId: g.caseId, createdAt: at, nextAttemptAt: at,
  })));
  if (values.length) await db.insert(outbox).values(values).onConflictDoNothing();
}

/**
 * Serialises duplicate checks for each ward and service until the caller's transaction ends (see
 * `lockWardService`), taken in one statement in a fixed order so that two callers cannot deadlock.
 */
export async function lockWardServices(db: Tx, pairs: { wardId: string; serviceId: string }[]): Promise<void> {
  const keys = [...new Set(pairs.map((p) => `dup:${p.wardId}:${p.serviceId}`))].sort();
  if (!keys.length) return;
  // unnest yields the keys in the array's order, so the locks are taken in that order.
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(array[${sql.join(keys.map((k) => sql`${k}`), sql`, `)}]::text[]) as k`);
}
