import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './schema-cases.js';

export interface ExampleLabel {
  id: number;
  kind: string;
  cases: { ward: string | null; service: string }[];
  missing: ('ward' | 'service')[];
}

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The council's labelled messages for retraining the intake model: every correction (Wrong route,
 * an edited ward or service) and every answer to a clarifying question. `key` is one per message
 * (`case:<first case opened from it>`), so a second correction relabels the same example. The text
 * holds residents' details: retention and erasure treat it as the case's own.
 */
export const intakeExamples = pgTable('intake_examples', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  key: text('key').notNull(),
  caseId: uuid('case_id').references(() => cases.id),
  source: text('source').notNull(),
  text: text('text').notNull(),
  platform: text('platform'),
  channelName: text('channel_name'),
  senderRole: text('sender_role'),
  senderWards: jsonb('sender_wards').$type<string[]>().notNull().default([]),
  kind: text('kind').notNull(),
  cases: jsonb('cases').$type<{ ward: string | null; service: string }[]>().notNull(),
  missing: jsonb('missing').$type<('ward' | 'service')[]>().notNull().default([]),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
}, (t) => [uniqueIndex('intake_examples_key_idx').on(t.key), index('intake_examples_case_idx').on(t.caseId)]);

/**
 * Intake models trained by `wardline intake retrain`: each adopted one (its file), and each refused
 * candidate (figures only). At most one is in use; none means the shipped model.
 */
export const intakeModels = pgTable('intake_models', {
  id: serial('id').primaryKey(),
  version: text('version').notNull(),
  baseVersion: text('base_version').notNull(),
  outcome: text('outcome').notNull(),
  model: text('model'),
  /** The council examples it was trained on, by id with their labels then: its recipe, to cross-validate it again. */
  examples: jsonb('examples').$type<ExampleLabel[]>().notNull().default([]),
  figures: jsonb('figures').notNull(),
  inUse: boolean('in_use').notNull().default(false),
  createdAt: ts('created_at').notNull(),
  inUseSince: ts('in_use_since'),
  createdBy: text('created_by').notNull(),
  councilExamples: integer('council_examples').notNull(),
}, (t) => [uniqueIndex('intake_models_version_idx').on(t.version), uniqueIndex('intake_models_in_use_idx').on(t.inUse).where(sql`${t.inUse}`)]);
