import { desc, eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { teamsConversations } from './tables.js';

export interface TeamsConversationRef {
  conversationId: string;
  serviceUrl: string;
  tenantId: string | null;
  kind: string;
  userId: string | null;
}

/** Remembers (or refreshes) where a conversation lives. */
export async function saveTeamsConversation(db: Tx, ref: TeamsConversationRef, at: Date): Promise<void> {
  await db.insert(teamsConversations).values({ ...ref, updatedAt: at }).onConflictDoUpdate({
    target: teamsConversations.conversationId,
    set: { serviceUrl: ref.serviceUrl, tenantId: ref.tenantId, kind: ref.kind, userId: sql`coalesce(excluded.user_id, ${teamsConversations.userId})`, updatedAt: at },
  });
}

export async function findTeamsConversation(db: Tx, conversationId: string): Promise<TeamsConversationRef | null> {
  const [row] = await db.select().from(teamsConversations).where(eq(teamsConversations.conversationId, conversationId));
  return row ?? null;
}

/** The personal chat with a person, if they have talked to wardline or installed it. */
export async function findPersonalChat(db: Tx, userId: string): Promise<TeamsConversationRef | null> {
  const [row] = await db.select().from(teamsConversations).where(sql`${teamsConversations.userId} = ${userId} and ${teamsConversations.kind} = 'personal'`)
    .orderBy(desc(teamsConversations.updatedAt)).limit(1);
  return row ?? null;
}

/** Any known conversation, for the service URL and tenant to open new chats with. */
export async function anyTeamsConversation(db: Tx): Promise<TeamsConversationRef | null> {
  const [row] = await db.select().from(teamsConversations).orderBy(desc(teamsConversations.updatedAt)).limit(1);
  return row ?? null;
}
