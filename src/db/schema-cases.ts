import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  caseEventTypeEnum, caseStatusEnum, outboxStatusEnum, people, platformEnum, services, threadOwnerEnum, urgencyEnum, wards,
} from './schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** The earliest deadline a case has still to meet (dashboard-sql.ts's overdueSql compares it with now). */
const OVERDUE_DEADLINE = sql`least(case when acknowledged_at is null then acknowledge_by end, case when responded_at is null then respond_by end)`;
const OVERDUE_CANDIDATE = sql`status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null)`;

// ── Cases ────────────────────────────────────────────────────────────────────
export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
  status: caseStatusEnum('status').notNull(),
  statusBeforeInfo: caseStatusEnum('status_before_info'),
  serviceId: text('service_id').references(() => services.id),
  wardId: text('ward_id').references(() => wards.id),
  urgency: urgencyEnum('urgency').notNull(),
  topic: text('topic'),
  location: text('location'),
  summary: text('summary').notNull(),
  description: text('description').notNull(),
  raisedById: uuid('raised_by_id').notNull().references(() => people.id),
  assigneeId: uuid('assignee_id').references(() => people.id),
  rmId: uuid('rm_id').references(() => people.id),
  deputyId: uuid('deputy_id').references(() => people.id),
  routing: jsonb('routing'),
  routingVersion: integer('routing_version'),
  sourcePlatform: platformEnum('source_platform'),
  acknowledgeBy: ts('acknowledge_by'),
  respondBy: ts('respond_by'),
  resolveBy: ts('resolve_by'),
  pausedAt: ts('paused_at'),
  acknowledgedAt: ts('acknowledged_at'),
  respondedAt: ts('responded_at'),
  resolvedAt: ts('resolved_at'),
  closedAt: ts('closed_at'),
  escalationLevel: integer('escalation_level').notNull().default(0),
  duplicateOfId: uuid('duplicate_of_id'),
  rowVersion: integer('row_version').notNull().default(1),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  /** The earliest deadline still to meet; an open case past it is overdue (dashboard-sql.ts's overdueSql). */
  overdueAt: ts('overdue_at').generatedAlwaysAs(OVERDUE_DEADLINE),
}, (t) => [
  index('cases_ward_service_idx').on(t.wardId, t.serviceId, t.createdAt),
  index('cases_ward_created_idx').on(t.wardId, t.createdAt),
  index('cases_created_idx').on(t.createdAt),
  index('cases_assignee_idx').on(t.assigneeId, t.status),
  index('cases_raised_by_idx').on(t.raisedById),
  index('cases_ack_due_idx').on(t.acknowledgeBy).where(sql`status in ('new','routed','reopened')`),
  // The tracker's dashboards: a service's or a topic's cases by date, and what is open now.
  index('cases_service_created_idx').on(t.serviceId, t.createdAt),
  index('cases_topic_created_idx').on(t.topic, t.createdAt),
  index('cases_open_idx').on(t.wardId, t.serviceId).where(sql`status in ('new','routed','acknowledged','in_progress','needs_info','reopened')`),
  index('cases_respond_due_idx').on(t.respondBy).where(sql`status in ('routed','acknowledged','in_progress','reopened')`),
  // Overdue now: open (not waiting for information), with a deadline missed, for the city, a ward,
  // a service (its overdue list in order) and a topic.
  index('cases_overdue_city_idx').on(t.overdueAt).where(OVERDUE_CANDIDATE),
  index('cases_overdue_ward_idx').on(t.wardId, t.overdueAt).where(OVERDUE_CANDIDATE),
  index('cases_overdue_service_idx').on(t.serviceId, t.overdueAt).where(OVERDUE_CANDIDATE),
  index('cases_overdue_topic_idx').on(t.topic, t.overdueAt).where(OVERDUE_CANDIDATE),
  // Scorecards: deadlines still to come for cases not yet acknowledged or answered.
  index('cases_unacknowledged_idx').on(t.acknowledgeBy, t.serviceId).where(sql`acknowledged_at is null`),
  index('cases_unanswered_idx').on(t.respondBy, t.serviceId).where(sql`responded_at is null`),
  // My cases: open cases by response due (keyset), and searching a street or place by its words.
  index('cases_open_due_idx').on(t.respondBy, t.seq).where(sql`status in ('new','routed','acknowledged','in_progress','needs_info','reopened')`),
  index('cases_location_words_idx').using('gin', sql`to_tsvector('simple', coalesce(location, ''))`),
  index('cases_open_location_words_idx').using('gin', sql`to_tsvector('simple', coalesce(location, ''))`)
    .where(sql`status in ('new','routed','acknowledged','in_progress','needs_info','reopened')`),
]);

export const caseWatchers = pgTable('case_watchers', {
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  personId: uuid('person_id').notNull().references(() => people.id),
}, (t) => [primaryKey({ columns: [t.caseId, t.personId] })]);

/** Append-only timeline: every change writes exactly one event in the same transaction. */
export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  type: caseEventTypeEnum('type').notNull(),
  actorId: uuid('actor_id').references(() => people.id),
  at: ts('at').notNull(),
  fromStatus: caseStatusEnum('from_status'),
  toStatus: caseStatusEnum('to_status'),
  data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
}, (t) => [index('case_events_case_idx').on(t.caseId, t.id)]);

// ── Conversations ────────────────────────────────────────────────────────────
export const conversationLinks = pgTable('conversation_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  platform: platformEnum('platform').notNull(),
  channelId: text('channel_id').notNull(),
  threadId: text('thread_id').notNull(),
  messageId: text('message_id'),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  owner: threadOwnerEnum('owner').notNull(),
  personId: uuid('person_id').references(() => people.id),
  /** The card this thread belongs to: one confirmation can cover several cases. */
  cardKey: text('card_key'),
  createdAt: ts('created_at').notNull(),
}, (t) => [
  uniqueIndex('conversation_links_unique').on(t.platform, t.channelId, t.threadId, t.caseId),
  index('conversation_links_card_idx').on(t.cardKey),
  index('conversation_links_thread_idx').on(t.platform, t.channelId, t.threadId),
  index('conversation_links_case_idx').on(t.caseId),
]);

// ── Outbox ───────────────────────────────────────────────────────────────────
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  idempotencyKey: text('idempotency_key').notNull(),
  platform: platformEnum('platform').notNull(),
  target: text('target').notNull(),
  payload: jsonb('payload').notNull(),
  status: outboxStatusEnum('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull(),
  lastError: text('last_error'),
  platformMessageId: text('platform_message_id'),
  /** Where the platform put it (a DM opened on delivery has an id known only then). */
  platformChannelId: text('platform_channel_id'),
  /** The current claim: a worker may change a `sending` row only while it still holds this token. */
  claimToken: text('claim_token'),
  /** When a worker first began sending it: from then on it may be on the platform already. */
  sendStartedAt: ts('send_started_at'),
  caseId: uuid('case_id').references(() => cases.id),
  createdAt: ts('created_at').notNull(),
  sentAt: ts('sent_at'),
}, (t) => [
  uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey),
  index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
  index('outbox_pending_target_idx').on(t.platform, t.target).where(sql`status = 'pending'`),
]);

// ── Intake and inbound bookkeeping ──────────────────────────────────────────
export const intakeCorrections = pgTable('intake_corrections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').references(() => cases.id),
  text: text('text').notNull(),
  originalWardId: text('original_ward_id'),
  originalServiceId: text('original_service_id'),
  correctedWardId: text('corrected_ward_id'),
  correctedServiceId: text('corrected_service_id'),
  byId: uuid('by_id').references(() => people.id),
  at: ts('at').notNull(),
});

/** Inbound deliveries already handled (Slack retries, Teams re-posts), kept at least an hour. */
export const processedEvents = pgTable('processed_events', {
  source: text('source').notNull(),
  eventKey: text('event_key').notNull(),
  receivedAt: ts('received_at').notNull(),
}, (t) => [primaryKey({ columns: [t.source, t.eventKey] }), index('processed_events_received_idx').on(t.receivedAt)]);
