import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { WardBoundary, WardGeometry } from '../open311/ward-boundaries.js';
import { asWardId } from '../shared/ids.js';
import type { Tx } from './client.js';
import { caseEvents, cases, open311InboundUpdates, open311Keys, open311RateWindows, open311Requests, people, wardBoundaries } from './tables.js';

export type Open311Key = typeof open311Keys.$inferSelect;
export type Open311RequestRow = typeof open311Requests.$inferSelect;

// ── Keys ─────────────────────────────────────────────────────────────────────
/** The directory entry that raises a client's cases: a guest without roles, made active again if an import deactivated it. */
export async function ensureClientPerson(db: Tx, name: string): Promise<string> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'client';
  const email = `open311-${slug}@clients.wardline.invalid`;
  const [known] = await db.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = ${email}`);
  if (known) {
    await db.update(people).set({ active: true }).where(eq(people.id, known.id));
    return known.id;
  }
  const [row] = await db.insert(people).values({ email, name: `${name} (Open311)`, roles: [], active: true }).returning({ id: people.id });
  return row!.id;
}

export async function insertKey(db: Tx, k: { name: string; keyHash: string; personId: string; ratePerMinute: number; at: Date }): Promise<Open311Key> {
  const [row] = await db.insert(open311Keys).values({ name: k.name, keyHash: k.keyHash, personId: k.personId, ratePerMinute: k.ratePerMinute, createdAt: k.at }).returning();
  return row!;
}

export const listKeys = (db: Tx): Promise<Open311Key[]> => db.select().from(open311Keys).orderBy(asc(open311Keys.createdAt));

export async function findKeyByName(db: Tx, name: string): Promise<Open311Key | null> {
  const [row] = await db.select().from(open311Keys).where(sql`lower(${open311Keys.name}) = ${name.toLowerCase()}`);
  return row ?? null;
}

export async function findActiveKeyByHash(db: Tx, keyHash: string): Promise<Open311Key | null> {
  const [row] = await db.select().from(open311Keys).where(and(eq(open311Keys.keyHash, keyHash), isNull(open311Keys.revokedAt)));
  return row ?? null;
}

export async function revokeKey(db: Tx, id: string, at: Date): Promise<void> {
  await db.update(open311Keys).set({ revokedAt: at }).where(eq(open311Keys.id, id));
}

export async function reactivatePerson(db: Tx, personId: string): Promise<void> {
  await db.update(people).set({ active: true }).where(eq(people.id, personId));
}

/** Counts one request in the key's fixed one-minute window; returns the window's count so far. */
export async function countRequest(db: Tx, keyId: string, windowStart: Date): Promise<number> {
  const [row] = await db.insert(open311RateWindows).values({ keyId, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [open311RateWindows.keyId, open311RateWindows.windowStart], set: { count: sql`${open311RateWindows.count} + 1` } })
    .returning({ count: open311RateWindows.count });
  await db.delete(open311RateWindows).where(and(eq(open311RateWindows.keyId, keyId), lt(open311RateWindows.windowStart, new Date(windowStart.getTime() - 3600_000))));
  return row!.count;
}

// ── Boundaries ───────────────────────────────────────────────────────────────
export async function replaceBoundaries(db: Tx, list: WardBoundary[], source: string, at: Date): Promise<void> {
  await db.delete(wardBoundaries);
  if (list.length) await db.insert(wardBoundaries).values(list.map((b) => ({ wardId: b.wardId, geometry: b.geometry, bbox: b.bbox, source, importedAt: at })));
}

export async function loadBoundaries(db: Tx): Promise<WardBoundary[]> {
  const rows = await db.select().from(wardBoundaries);
  return rows.map((r) => ({ wardId: asWardId(r.wardId), geometry: r.geometry as WardGeometry, bbox: r.bbox }));
}

// ── Requests ─────────────────────────────────────────────────────────────────
export async function insertOpen311Request(db: Tx, row: typeof open311Requests.$inferInsert): Promise<void> {
  await db.insert(open311Requests).values(row);
}

export interface RequestQuery {
  seqs?: number[];
  serviceIds?: string[];
  start?: Date;
  end?: Date;
  closed?: boolean;
  limit: number;
}

const CLOSED = ['resolved', 'closed'] as const;

/** Cases that came in through Open311 with their location, newest first. */
export async function listOpen311Cases(db: Tx, q: RequestQuery) {
  const conds: SQL[] = [];
  if (q.seqs) conds.push(q.seqs.length ? inArray(cases.seq, q.seqs) : sql`false`);
  else {
    if (q.serviceIds) conds.push(q.serviceIds.length ? inArray(cases.serviceId, q.serviceIds) : sql`false`);
    if (q.start) conds.push(gte(cases.createdAt, q.start));
    if (q.end) conds.push(lt(cases.createdAt, q.end));
    if (q.closed !== undefined) conds.push(q.closed ? inArray(cases.status, [...CLOSED]) : sql`${cases.status} not in ('resolved','closed')`);
  }
  return db.select({
    seq: cases.seq, status: cases.status, serviceId: cases.serviceId, description: cases.description, location: cases.location,
    createdAt: cases.createdAt, updatedAt: cases.updatedAt, respondBy: cases.respondBy, lat: open311Requests.lat, long: open311Requests.long,
    addressId: open311Requests.addressId,
  }).from(cases).innerJoin(open311Requests, eq(open311Requests.caseId, cases.id))
    .where(conds.length ? and(...conds) : undefined).orderBy(desc(cases.seq)).limit(q.limit);
}

export async function findOpen311Case(db: Tx, seq: number, keyId: string) {
  const [row] = await db.select({ caseId: cases.id, status: cases.status }).from(cases)
    .innerJoin(open311Requests, eq(open311Requests.caseId, cases.id)).where(and(eq(cases.seq, seq), eq(open311Requests.keyId, keyId)));
  return row ?? null;
}

/** The timeline of this client's cases between two times: what the RM did, for servicerequestupdates. */
export async function listClientEvents(db: Tx, keyId: string, start: Date, end: Date, limit: number) {
  return db.select({ id: caseEvents.id, seq: cases.seq, type: caseEvents.type, at: caseEvents.at, data: caseEvents.data, toStatus: caseEvents.toStatus, actorId: caseEvents.actorId })
    .from(caseEvents).innerJoin(cases, eq(cases.id, caseEvents.caseId)).innerJoin(open311Requests, eq(open311Requests.caseId, cases.id))
    .where(and(eq(open311Requests.keyId, keyId), gte(caseEvents.at, start), lt(caseEvents.at, end),
      inArray(caseEvents.type, ['acknowledged', 'update', 'info_requested', 'resolved', 'reopened', 'closed'])))
    .orderBy(asc(caseEvents.id)).limit(limit);
}

export async function findInboundUpdate(db: Tx, keyId: string, clientUpdateId: string): Promise<number | null> {
  const [row] = await db.select({ eventId: open311InboundUpdates.eventId }).from(open311InboundUpdates)
    .where(and(eq(open311InboundUpdates.keyId, keyId), eq(open311InboundUpdates.clientUpdateId, clientUpdateId)));
  return row?.eventId ?? null;
}

export async function recordInboundUpdate(db: Tx, row: typeof open311InboundUpdates.$inferInsert): Promise<void> {
  await db.insert(open311InboundUpdates).values(row).onConflictDoNothing();
}

/** The newest event a person wrote on a case (the update just posted). */
export async function lastEventBy(db: Tx, caseId: string, actorId: string): Promise<number | null> {
  const [row] = await db.select({ id: caseEvents.id }).from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.actorId, actorId)))
    .orderBy(desc(caseEvents.id)).limit(1);
  return row?.id ?? null;
}
