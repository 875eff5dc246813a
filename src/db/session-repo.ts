import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Tx } from './client.js';
import { webSessions } from './tables.js';

export type LoginState = NonNullable<typeof webSessions.$inferSelect['login']>;

export interface WebSession {
  /** The random id the cookie carries (never stored). */
  id: string;
  personId: string | null;
  csrfToken: string;
  login: LoginState | null;
  method: string | null;
  lastSeenAt: Date;
}

const hash = (id: string) => createHash('sha256').update(id).digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/** Sessions in PostgreSQL; the caller decides idle expiry with its clock. */
export function createSessionRepo(db: Tx) {
  return {
    async create(at: Date, init: { personId?: string | null; login?: LoginState | null; method?: string | null } = {}): Promise<WebSession> {
      const id = token();
      const row = { idHash: hash(id), personId: init.personId ?? null, csrfToken: token(), login: init.login ?? null, method: init.method ?? null, createdAt: at, lastSeenAt: at };
      await db.insert(webSessions).values(row);
      return { id, personId: row.personId, csrfToken: row.csrfToken, login: row.login, method: row.method, lastSeenAt: at };
    },

    async find(id: string): Promise<WebSession | null> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
      const [row] = await db.select().from(webSessions).where(eq(webSessions.idHash, hash(id)));
      return row ? { id, personId: row.personId, csrfToken: row.csrfToken, login: row.login ?? null, method: row.method, lastSeenAt: row.lastSeenAt } : null;
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.update(webSessions).set({ lastSeenAt: at }).where(eq(webSessions.idHash, hash(id)));
    },

    /** Ends a session (sign-out, expiry, or replaced by a new id after signing in). */
    async remove(id: string): Promise<void> {
      await db.delete(webSessions).where(eq(webSessions.idHash, hash(id)));
    },

    /** Removes sessions idle since before `before`; returns how many. */
    async purgeIdle(before: Date): Promise<number> {
      const rows = await db.delete(webSessions).where(and(lt(webSessions.lastSeenAt, before))).returning({ h: webSessions.idHash });
      return rows.length;
    },
  };
}

export type SessionRepo = ReturnType<typeof createSessionRepo>;
