import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { cases } from './schema-cases.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Append-only: who did what to keys, retention and residents' data. Never what was removed. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
}, (t) => [index('audit_log_at_idx').on(t.at)]);

/** Cases whose free text and residents' details were removed (retention or erasure). */
export const caseRedactions = pgTable('case_redactions', {
  caseId: uuid('case_id').primaryKey().references(() => cases.id),
  at: ts('at').notNull(),
  reason: text('reason').notNull(),
});
