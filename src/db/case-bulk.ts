import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { CaseEvent, CaseToOpen, ConversationLink, OutboundMessage } from '../cases/case-record.js';
import { asCaseId, type CaseId } from '../shared/ids.js';
import { insertJsonRows, rowsOf } from './bulk-sql.js';
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
 * no gaps; rows, events and links come back in the order given. The rows go as one JSON parameter
 * a table (see `insertJsonRows`); a case's id is made here, so its row need not be read back.
 */
export async function insertOpenedCases(db: Tx, items: CaseToOpen[], at: Date): Promise<OpenedRows> {
  if (!items.length) return { rows: [], events: [], links: [] };
  await db.execute(sql`select pg_advisory_xact_lock(${CASE_NUMBER_LOCK})`);
  const [top] = rowsOf<{ n: string | number }>(await db.execute(sql`select coalesce(max(${cases.seq}), 0) as n from ${cases}`));
  const first = Number(top?.n ?? 0) + 1;
  const rows = items.map((it, k) => ({ ...it.caseRow, id: randomUUID(), seq: first + k, rowVersion: 1, overdueAt: null }));
  await db.execute(insertJsonRows(cases, rows.map(({ overdueAt: _generated, ...r }) => r)));
  const ids = rows.map((r) => r.id);
  await recordCasesOpened(db, ids);
  const due = rows.filter((r) => r.status !== 'resolved' && r.status !== 'closed' && r.status !== 'needs_info');
  if (due.length) {
    await db.execute(insertJsonRows(slaChecks, due.map((r) => ({ caseId: r.id, dueAt: r.updatedAt })), sql`on conflict (case_id) do update set due_at = excluded.due_at`));
  }
  const links = items.map((it, k) => (it.link ? [{ ...it.link, caseId: asCaseId(ids[k]!) }] : []));
  const linkRows = links.flat();
  if (linkRows.length) {
    await db.execute(insertJsonRows(conversationLinks, linkRows.map((l) => ({ ...l, createdAt: at })), sql`on conflict (platform, channel_id, thread_id, case_id) do update set
      message_id = coalesce(excluded.message_id, conversation_links.message_id), card_key = coalesce(excluded.card_key, conversation_links.card_key)`));
  }
  const eventIds = rowsOf<{ id: string | number; case_id: string }>(await db.execute(insertJsonRows(caseEvents, items.map((it, k) => ({ ...it.event, caseId: ids[k]! })), sql`returning id, case_id`)));
  const idOf = new Map(eventIds.map((e) => [e.case_id, Number(e.id)]));
  const events = items.map((it, k): CaseEvent => ({
    id: idOf.get(ids[k]!)!, caseId: asCaseId(ids[k]!), type: it.event.type, actorId: it.event.actorId, at: it.event.at,
    fromStatus: it.event.fromStatus, toStatus: it.event.toStatus, data: it.event.data ?? {},
  }));
  return { rows, events, links };
}

/** Outbound messages of many cases in one statement; the idempotency key makes a repeat a no-op. */
export async function enqueueOutboundMany(db: Tx, groups: { messages: OutboundMessage[]; caseId: CaseId | null }[], at: Date): Promise<void> {
  const values = groups.flatMap((g) => g.messages.map((m) => ({
    idempotencyKey: m.idempotencyKey, platform: m.platform, target: m.target, payload: m.payload, caseId: g.caseId, createdAt: at, nextAttemptAt: at,
  })));
  if (values.length) await db.execute(insertJsonRows(outbox, values, sql`on conflict do nothing`));
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
