import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { people, workspaceChannels, workspaceMessages } from './tables.js';

export interface WorkspaceChannel {
  id: string;
  name: string;
  kind: 'dm' | 'channel';
  personId: string | null;
  listening: boolean;
}

export interface WorkspaceMessage {
  id: string;
  channelId: string;
  threadId: string | null;
  author: { id: string; name: string } | null;
  text: string;
  model: unknown;
  replyCount: number;
  createdAt: string;
  updatedAt: string;
}

const toChannel = (r: typeof workspaceChannels.$inferSelect): WorkspaceChannel => ({
  id: r.id, name: r.name, kind: r.kind === 'dm' ? 'dm' : 'channel', personId: r.personId, listening: r.listening === 'yes',
});

export const directChannelId = (personId: string) => `dm-${personId}`;

export async function ensureChannel(db: Tx, c: WorkspaceChannel, at: Date): Promise<void> {
  await db.insert(workspaceChannels).values({
    id: c.id, name: c.name, kind: c.kind, personId: c.personId, listening: c.listening ? 'yes' : 'no', createdAt: at,
  }).onConflictDoNothing();
}

export async function getChannel(db: Tx, id: string): Promise<WorkspaceChannel | null> {
  const [row] = await db.select().from(workspaceChannels).where(eq(workspaceChannels.id, id));
  return row ? toChannel(row) : null;
}

/** The channels a person sees: every shared channel and their own direct messages with the bot. */
export async function channelsFor(db: Tx, personId: string): Promise<WorkspaceChannel[]> {
  const rows = await db.select().from(workspaceChannels)
    .where(or(eq(workspaceChannels.kind, 'channel'), eq(workspaceChannels.personId, personId)))
    .orderBy(desc(workspaceChannels.kind), asc(workspaceChannels.name));
  return rows.map(toChannel);
}

const selectMessages = (db: Tx) => db.select({
  m: workspaceMessages, authorName: people.name,
  replies: sql<number>`(select count(*)::int from ${workspaceMessages} r where r.thread_id = ${workspaceMessages.id}::text and r.channel_id = ${workspaceMessages.channelId})`,
}).from(workspaceMessages).leftJoin(people, eq(people.id, workspaceMessages.authorId));

type Selected = Awaited<ReturnType<ReturnType<typeof selectMessages>['where']>>[number];
const toMessage = (r: Selected): WorkspaceMessage => ({
  id: String(r.m.id), channelId: r.m.channelId, threadId: r.m.threadId, text: r.m.text, model: r.m.model,
  author: r.m.authorId ? { id: r.m.authorId, name: r.authorName ?? 'Unknown' } : null, replyCount: r.replies,
  createdAt: r.m.createdAt.toISOString(), updatedAt: r.m.updatedAt.toISOString(),
});

/** The newest top-level messages of a channel (oldest first), or one thread's replies. */
export async function listMessages(db: Tx, channelId: string, opts: { threadId?: string; limit?: number } = {}): Promise<WorkspaceMessage[]> {
  const where = opts.threadId
    ? and(eq(workspaceMessages.channelId, channelId), or(eq(workspaceMessages.threadId, opts.threadId), eq(workspaceMessages.id, Number(opts.threadId))))
    : and(eq(workspaceMessages.channelId, channelId), isNull(workspaceMessages.threadId));
  const rows = await selectMessages(db).where(where).orderBy(desc(workspaceMessages.id)).limit(opts.limit ?? 200);
  return rows.reverse().map(toMessage);
}

export async function getMessage(db: Tx, id: string): Promise<WorkspaceMessage | null> {
  if (!/^\d{1,15}$/.test(id)) return null;
  const [row] = await selectMessages(db).where(eq(workspaceMessages.id, Number(id)));
  return row ? toMessage(row) : null;
}

/** Adds a message; with an idempotency key a repeat returns the first one's id. */
export async function insertMessage(db: Tx, m: {
  channelId: string; threadId: string | null; authorId: string | null; text: string; model?: unknown; idempotencyKey?: string | null;
}, at: Date): Promise<string> {
  const rows = await db.insert(workspaceMessages).values({
    channelId: m.channelId, threadId: m.threadId, authorId: m.authorId, text: m.text, model: m.model ?? null,
    idempotencyKey: m.idempotencyKey ?? null, createdAt: at, updatedAt: at,
  }).onConflictDoNothing().returning({ id: workspaceMessages.id });
  if (rows[0]) return String(rows[0].id);
  const [existing] = await db.select({ id: workspaceMessages.id }).from(workspaceMessages).where(eq(workspaceMessages.idempotencyKey, m.idempotencyKey!));
  return String(existing!.id);
}

export async function updateMessage(db: Tx, id: string, patch: { text: string; model: unknown }, at: Date): Promise<boolean> {
  const rows = await db.update(workspaceMessages).set({ text: patch.text, model: patch.model, updatedAt: at })
    .where(eq(workspaceMessages.id, Number(id))).returning({ id: workspaceMessages.id });
  return rows.length > 0;
}
