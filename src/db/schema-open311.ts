import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, wards } from './schema.js';
import { caseEvents, cases } from './schema-cases.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ── Ward boundaries (for placing a point in a ward) ─────────────────────────
export const wardBoundaries = pgTable('ward_boundaries', {
  wardId: text('ward_id').primaryKey().references(() => wards.id),
  /** A GeoJSON Polygon or MultiPolygon in WGS84. */
  geometry: jsonb('geometry').notNull(),
  /** Bounding box [minLon, minLat, maxLon, maxLat] for a quick first test. */
  bbox: jsonb('bbox').$type<[number, number, number, number]>().notNull(),
  source: text('source').notNull(),
  importedAt: ts('imported_at').notNull(),
});

// ── Open311 clients ──────────────────────────────────────────────────────────
export const open311Keys = pgTable('open311_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** sha256 of the key, hex; the key itself is shown once and never stored. */
  keyHash: text('key_hash').notNull(),
  /** The directory entry that raises this client's cases. */
  personId: uuid('person_id').notNull().references(() => people.id),
  ratePerMinute: integer('rate_per_minute').notNull().default(60),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
}, (t) => [uniqueIndex('open311_keys_hash').on(t.keyHash), uniqueIndex('open311_keys_name').on(sql`lower(${t.name})`)]);

/** Fixed one-minute windows per key. */
export const open311RateWindows = pgTable('open311_rate_windows', {
  keyId: uuid('key_id').notNull().references(() => open311Keys.id, { onDelete: 'cascade' }),
  windowStart: ts('window_start').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.keyId, t.windowStart] })]);

/** A case that came in through Open311: where it was and who reported it (restricted). */
export const open311Requests = pgTable('open311_requests', {
  caseId: uuid('case_id').primaryKey().references(() => cases.id),
  keyId: uuid('key_id').references(() => open311Keys.id),
  lat: doublePrecision('lat'),
  long: doublePrecision('long'),
  addressString: text('address_string'),
  addressId: text('address_id'),
  attributes: jsonb('attributes').$type<Record<string, string | string[]>>().notNull().default(sql`'{}'::jsonb`),
  email: text('email'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  phone: text('phone'),
  deviceId: text('device_id'),
  accountId: text('account_id'),
  mediaUrl: text('media_url'),
  createdAt: ts('created_at').notNull(),
}, (t) => [index('open311_requests_email_idx').on(sql`lower(${t.email})`)]);

/** Updates a client posted (servicerequestupdates), so a repeat post makes no second event. */
export const open311InboundUpdates = pgTable('open311_inbound_updates', {
  keyId: uuid('key_id').notNull().references(() => open311Keys.id),
  clientUpdateId: text('client_update_id').notNull(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  eventId: bigint('event_id', { mode: 'number' }).notNull().references(() => caseEvents.id),
  email: text('email'),
  firstName: text('first_name'),
  lastName: text('last_name'),
}, (t) => [primaryKey({ columns: [t.keyId, t.clientUpdateId] })]);
