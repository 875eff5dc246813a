import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { cases } from './schema-cases.js';
import { people } from './schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * When the SLA sweep must next look at a case; null when nothing is pending. The sweep reads
 * this by index, so its cost grows with what is due, not with what is open.
 */
export const slaChecks = pgTable('sla_checks', {
  caseId: uuid('case_id').primaryKey().references(() => cases.id, { onDelete: 'cascade' }),
  dueAt: ts('due_at').notNull(),
}, (t) => [index('sla_checks_due_idx').on(t.dueAt)]);

/** Every reminder and escalation sent, so each is sent once. */
export const slaNotifications = pgTable('sla_notifications', {
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  dueAt: ts('due_at').notNull(),
  sentAt: ts('sent_at').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.kind, t.dueAt] })]);

/** Weekly digests sent, one per recipient, scope and ISO week. */
export const digestDeliveries = pgTable('digest_deliveries', {
  week: text('week').notNull(),
  personId: uuid('person_id').notNull().references(() => people.id),
  scope: text('scope').notNull(),
  area: text('area').notNull(),
  sentAt: ts('sent_at').notNull(),
}, (t) => [primaryKey({ columns: [t.week, t.personId, t.scope, t.area] })]);

/**
 * Who gets which weekly digest: a ward, a cluster, a district (Assistant Leaders' areas), a
 * service (its managers) or the whole city. From `subscribe digest …` in chat and
 * `wardline subscriptions import`.
 */
export const digestSubscriptions = pgTable('digest_subscriptions', {
  personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
  scope: text('scope').notNull(),
  area: text('area').notNull(),
  createdAt: ts('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.personId, t.scope, t.area] })]);
