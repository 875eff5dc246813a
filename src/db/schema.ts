import { sql } from 'drizzle-orm';
import {
  boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import {
  CASE_EVENT_TYPES, CASE_STATUSES, OUTBOX_STATUSES, PLATFORMS, ROLES, SCOPES, THREAD_OWNERS, URGENCIES,
} from '../shared/enums.js';

/** Every table and enum in one place. Enums derive from the tuples in shared/enums.ts. */
export const roleEnum = pgEnum('role', ROLES);
export const scopeEnum = pgEnum('scope', SCOPES);
export const caseStatusEnum = pgEnum('case_status', CASE_STATUSES);
export const urgencyEnum = pgEnum('urgency', URGENCIES);
export const platformEnum = pgEnum('platform', PLATFORMS);
export const caseEventTypeEnum = pgEnum('case_event_type', CASE_EVENT_TYPES);
export const outboxStatusEnum = pgEnum('outbox_status', OUTBOX_STATUSES);
export const threadOwnerEnum = pgEnum('thread_owner', THREAD_OWNERS);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ── Catalogue ────────────────────────────────────────────────────────────────
export const wardSets = pgTable('ward_sets', {
  id: text('id').primaryKey(),
  active: boolean('active').notNull().default(false),
});

export const districts = pgTable('districts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
});

export const wards = pgTable('wards', {
  id: text('id').primaryKey(),
  wardSet: text('ward_set').notNull().references(() => wardSets.id),
  name: text('name').notNull(),
  districtId: text('district_id').references(() => districts.id),
});

export const clusters = pgTable('clusters', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
});

export const clusterWards = pgTable('cluster_wards', {
  clusterId: text('cluster_id').notNull().references(() => clusters.id, { onDelete: 'cascade' }),
  wardId: text('ward_id').notNull().references(() => wards.id),
}, (t) => [primaryKey({ columns: [t.clusterId, t.wardId] })]);

export const services = pgTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  portfolio: text('portfolio').notNull(),
  levels: jsonb('levels').$type<string[]>().notNull(),
  phase1: boolean('phase1').notNull(),
  covers: jsonb('covers').$type<string[]>().notNull(),
  vocabulary: jsonb('vocabulary').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  restricted: boolean('restricted').notNull().default(false),
  /** Where RM cards for this service go instead of the RM's DMs, by platform (channel ids). */
  cardChannels: jsonb('card_channels').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  /** Months after a case is finished that its text is kept (null: RETENTION_MONTHS). */
  retentionMonths: integer('retention_months'),
});

export const areaAliases = pgTable('area_aliases', {
  alias: text('alias').primaryKey(),
  wardId: text('ward_id').notNull().references(() => wards.id),
  source: text('source').notNull().default('catalogue'),
});

// ── Directory ────────────────────────────────────────────────────────────────
export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  roles: roleEnum('roles').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('people_email_key').on(sql`lower(${t.email})`)]);

export const personWards = pgTable('person_wards', {
  personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
  wardId: text('ward_id').notNull().references(() => wards.id),
}, (t) => [primaryKey({ columns: [t.personId, t.wardId] }), index('person_wards_ward_idx').on(t.wardId)]);

export const personServices = pgTable('person_services', {
  personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
  serviceId: text('service_id').notNull().references(() => services.id),
}, (t) => [primaryKey({ columns: [t.personId, t.serviceId] })]);

export const personAway = pgTable('person_away', {
  personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
  fromDate: date('from_date').notNull(),
  toDate: date('to_date').notNull(),
}, (t) => [primaryKey({ columns: [t.personId, t.fromDate] })]);

export const chatIdentities = pgTable('chat_identities', {
  platform: platformEnum('platform').notNull(),
  externalId: text('external_id').notNull(),
  personId: uuid('person_id').notNull().references(() => people.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.platform, t.externalId] }), index('chat_identities_person_idx').on(t.personId)]);

// ── Routing ──────────────────────────────────────────────────────────────────
export const routingTables = pgTable('routing_tables', {
  version: integer('version').primaryKey(),
  createdAt: ts('created_at').notNull(),
  source: text('source').notNull(),
  ruleCount: integer('rule_count').notNull(),
  note: text('note'),
});

export const routingRules = pgTable('routing_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  version: integer('version').notNull().references(() => routingTables.version),
  serviceId: text('service_id').notNull().references(() => services.id),
  scope: scopeEnum('scope').notNull(),
  area: text('area'),
  rmId: uuid('rm_id').notNull().references(() => people.id),
  deputyId: uuid('deputy_id').references(() => people.id),
}, (t) => [index('routing_rules_version_idx').on(t.version)]);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

export const slaPolicies = pgTable('sla_policies', {
  serviceId: text('service_id').notNull(),
  urgency: urgencyEnum('urgency').notNull(),
  policy: jsonb('policy').notNull(),
}, (t) => [primaryKey({ columns: [t.serviceId, t.urgency] })]);
