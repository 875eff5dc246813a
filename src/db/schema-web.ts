import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { people } from './schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Browser sessions of the Ward Action Tracker, kept server-side. The cookie carries a random id;
 * only its SHA-256 is stored. A session is first a sign-in in progress (`login`: PKCE verifier,
 * state, nonce) and then, with a new id, a signed-in person.
 */
export const webSessions = pgTable('web_sessions', {
  idHash: text('id_hash').primaryKey(),
  personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  login: jsonb('login').$type<{ provider: string; verifier: string; state: string; nonce: string; returnTo: string } | null>(),
  /** How the person signed in: an OIDC provider's name, or `demo`. */
  method: text('method'),
  createdAt: ts('created_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
}, (t) => [index('web_sessions_last_seen_idx').on(t.lastSeenAt)]);
