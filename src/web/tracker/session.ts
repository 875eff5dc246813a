import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Person } from '../../directory/person.js';
import type { SessionRepo, WebSession } from '../../db/session-repo.js';

export interface RequestAuth {
  session: WebSession | null;
  person: Person | null;
  /** The session ended for idleness just now (the sign-in page says so). */
  expired: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    wl: RequestAuth;
  }
}

export interface CookiePolicy {
  name: string;
  secure: boolean;
}

/** `__Host-` and Secure, except over plain http on loopback (demo and tests), where browsers would drop it. */
export function cookiePolicy(publicUrl: string | null): CookiePolicy {
  const u = publicUrl ? new URL(publicUrl) : null;
  const secure = !u || u.protocol === 'https:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  return secure && u?.protocol === 'https:' ? { name: '__Host-wl_session', secure: true } : { name: 'wl_session', secure: false };
}

export function setSessionCookie(reply: FastifyReply, policy: CookiePolicy, id: string): void {
  reply.setCookie(policy.name, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure });
}

export function clearSessionCookie(reply: FastifyReply, policy: CookiePolicy): void {
  reply.clearCookie(policy.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure });
}

/** Reads the session, ends it when idle too long, and notes the request (at most once a minute). */
export async function loadSession(
  req: FastifyRequest, sessions: SessionRepo, policy: CookiePolicy, opts: { now: Date; idleMs: number; findPerson: (id: string) => Promise<Person | null> },
): Promise<RequestAuth> {
  const id = req.cookies[policy.name];
  if (!id) return { session: null, person: null, expired: false };
  const session = await sessions.find(id);
  if (!session) return { session: null, person: null, expired: false };
  const idle = opts.now.getTime() - session.lastSeenAt.getTime();
  if (idle > opts.idleMs) {
    await sessions.remove(id);
    return { session: null, person: null, expired: !!session.personId };
  }
  if (idle > 60_000) await sessions.touch(id, opts.now);
  const person = session.personId ? await opts.findPerson(session.personId) : null;
  return { session, person: person?.active ? person : null, expired: false };
}

/** The synchroniser token: every POST carries the session's token in `_csrf`. */
export function csrfValid(session: WebSession | null, given: unknown): boolean {
  if (!session || typeof given !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
