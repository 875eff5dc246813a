import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ConversationLink } from '../cases/case-record.js';
import type { Platform } from '../shared/enums.js';
import { asCaseId, asPersonId, type CaseId } from '../shared/ids.js';
import type { Tx } from './client.js';
import { conversationLinks, intakeDrafts } from './tables.js';

type LinkRow = typeof conversationLinks.$inferSelect;

const toLink = (r: LinkRow): ConversationLink => ({
  platform: r.platform, channelId: r.channelId, threadId: r.threadId, messageId: r.messageId,
  caseId: asCaseId(r.caseId), owner: r.owner, personId: r.personId ? asPersonId(r.personId) : null, cardKey: r.cardKey,
});

/** Records that a thread belongs to a case; recording it twice changes nothing. */
export async function insertLink(db: Tx, link: ConversationLink, at: Date): Promise<void> {
  await db.insert(conversationLinks).values({ ...link, createdAt: at }).onConflictDoUpdate({
    target: [conversationLinks.platform, conversationLinks.channelId, conversationLinks.threadId, conversationLinks.caseId],
    set: { messageId: sql`coalesce(excluded.message_id, ${conversationLinks.messageId})`, cardKey: sql`coalesce(excluded.card_key, ${conversationLinks.cardKey})` },
  });
}

export async function linksForCase(db: Tx, caseId: CaseId): Promise<ConversationLink[]> {
  const rows = await db.select().from(conversationLinks).where(eq(conversationLinks.caseId, caseId)).orderBy(asc(conversationLinks.createdAt));
  return rows.map(toLink);
}

export async function linksForThread(db: Tx, platform: Platform, channelId: string, threadId: string): Promise<ConversationLink[]> {
  const rows = await db.select().from(conversationLinks)
    .where(and(eq(conversationLinks.platform, platform), eq(conversationLinks.channelId, channelId), eq(conversationLinks.threadId, threadId)));
  return rows.map(toLink);
}

export async function caseIdsForCard(db: Tx, cardKey: string): Promise<CaseId[]> {
  const rows = await db.selectDistinct({ caseId: conversationLinks.caseId, at: conversationLinks.createdAt }).from(conversationLinks)
    .where(eq(conversationLinks.cardKey, cardKey)).orderBy(asc(conversationLinks.createdAt));
  return [...new Set(rows.map((r) => asCaseId(r.caseId)))];
}

// ── Drafts: messages waiting for the councillor's answer ────────────────────

export interface DraftState {
  kind: 'clarify' | 'duplicate';
  ward: string | null;
  service: string | null;
  urgent: boolean;
  topic: string | null;
  location: string | null;
  summary: string;
  duplicateOf?: string;
  /** The prompt we posted, to edit in place once answered. */
  promptKey: string;
  /** What to offer as buttons. */
  candidates?: { services: { id: string; name: string }[]; wards: { id: string; name: string }[] };
  /** The channel the message came from (null: a direct message) and what was asked: for the intake model's examples. */
  channelName?: string | null;
  asked?: ('ward' | 'service')[];
}

export interface Draft {
  id: string;
  platform: Platform;
  channelId: string;
  threadId: string;
  personId: string;
  text: string;
  state: DraftState;
  status: string;
}

type DraftRow = typeof intakeDrafts.$inferSelect;
const toDraft = (r: DraftRow): Draft => ({
  id: r.id, platform: r.platform, channelId: r.channelId, threadId: r.threadId, personId: r.personId, text: r.text,
  state: r.parsed as DraftState, status: r.status,
});

export async function createDraft(db: Tx, d: Omit<Draft, 'id' | 'status'>, at: Date): Promise<Draft> {
  const [row] = await db.insert(intakeDrafts).values({
    platform: d.platform, channelId: d.channelId, threadId: d.threadId, personId: d.personId, text: d.text, parsed: d.state, createdAt: at,
  }).returning();
  return toDraft(row!);
}

export async function getDraft(db: Tx, id: string, opts: { forUpdate?: boolean } = {}): Promise<Draft | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const q = db.select().from(intakeDrafts).where(eq(intakeDrafts.id, id));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ? toDraft(row) : null;
}

export async function openDraftsInThread(db: Tx, platform: Platform, channelId: string, threadId: string): Promise<Draft[]> {
  const rows = await db.select().from(intakeDrafts).where(and(
    eq(intakeDrafts.platform, platform), eq(intakeDrafts.channelId, channelId), eq(intakeDrafts.threadId, threadId), eq(intakeDrafts.status, 'open'),
  )).orderBy(asc(intakeDrafts.createdAt));
  return rows.map(toDraft);
}

export async function updateDraft(db: Tx, id: string, patch: { state?: DraftState; status?: 'open' | 'done' | 'cancelled' }): Promise<void> {
  await db.update(intakeDrafts).set({ ...(patch.state ? { parsed: patch.state } : {}), ...(patch.status ? { status: patch.status } : {}) })
    .where(eq(intakeDrafts.id, id));
}

export async function draftsByIds(db: Tx, ids: string[]): Promise<Draft[]> {
  if (!ids.length) return [];
  return (await db.select().from(intakeDrafts).where(inArray(intakeDrafts.id, ids))).map(toDraft);
}
