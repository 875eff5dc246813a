import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { INBOUND_STATUSES } from '../shared/enums.js';
import { people, platformEnum } from './schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A message wardline could not place yet: kept until the councillor answers the question. */
export const intakeDrafts = pgTable('intake_drafts', {
  id: uuid('id').primaryKey().defaultRandom(),
  platform: platformEnum('platform').notNull(),
  channelId: text('channel_id').notNull(),
  threadId: text('thread_id').notNull(),
  personId: uuid('person_id').notNull().references(() => people.id),
  text: text('text').notNull(),
  parsed: jsonb('parsed').notNull(),
  status: text('status').notNull().default('open'),
  createdAt: ts('created_at').notNull(),
}, (t) => [index('intake_drafts_thread_idx').on(t.platform, t.channelId, t.threadId)]);

/** The built-in workspace: channels and direct messages with the bot. */
export const workspaceChannels = pgTable('workspace_channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  personId: uuid('person_id').references(() => people.id),
  listening: text('listening').notNull().default('no'),
  createdAt: ts('created_at').notNull(),
});

export const workspaceMessages = pgTable('workspace_messages', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  channelId: text('channel_id').notNull().references(() => workspaceChannels.id),
  threadId: text('thread_id'),
  authorId: uuid('author_id').references(() => people.id),
  text: text('text').notNull(),
  model: jsonb('model'),
  idempotencyKey: text('idempotency_key'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
}, (t) => [
  index('workspace_messages_channel_idx').on(t.channelId, t.id),
  uniqueIndex('workspace_messages_idem_key').on(t.idempotencyKey),
]);

export const inboundStatus = pgEnum('inbound_status', INBOUND_STATUSES);

/**
 * Platform events taken in and acknowledged but not yet handled: the platform will not send them
 * again once acknowledged, so they are stored before the acknowledgement. The body is dropped
 * once handled (it holds residents' details).
 */
export const inboundQueue = pgTable('inbound_queue', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  platform: platformEnum('platform').notNull(),
  eventKey: text('event_key').notNull(),
  body: jsonb('body'),
  status: inboundStatus('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  receivedAt: ts('received_at').notNull(),
  nextAttemptAt: ts('next_attempt_at').notNull(),
}, (t) => [uniqueIndex('inbound_queue_key_idx').on(t.platform, t.eventKey), index('inbound_queue_due_idx').on(t.status, t.nextAttemptAt)]);

/**
 * Where a Teams conversation lives (Bot Framework conversation reference): needed to post into it
 * later, proactively. Personal chats remember the person's AAD object id.
 */
export const teamsConversations = pgTable('teams_conversations', {
  conversationId: text('conversation_id').primaryKey(),
  serviceUrl: text('service_url').notNull(),
  tenantId: text('tenant_id'),
  kind: text('kind').notNull(),
  userId: text('user_id'),
  updatedAt: ts('updated_at').notNull(),
}, (t) => [index('teams_conversations_user_idx').on(t.userId)]);
