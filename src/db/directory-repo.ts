import { eq, inArray, sql } from 'drizzle-orm';
import type { Person } from '../directory/person.js';
import type { Role } from '../shared/enums.js';
import { asPersonId, asServiceId, asWardId } from '../shared/ids.js';
import type { Tx } from './client.js';
import { chatIdentities, people, personAway, personServices, personWards } from './tables.js';

/** Loads every person with their wards, services, absences and chat identities. */
export async function loadPeople(db: Tx, opts: { includeInactive?: boolean } = {}): Promise<Person[]> {
  const rows = opts.includeInactive
    ? await db.select().from(people).orderBy(people.email)
    : await db.select().from(people).where(eq(people.active, true)).orderBy(people.email);
  const [pw, ps, pa, ids] = await Promise.all([
    db.select().from(personWards), db.select().from(personServices), db.select().from(personAway), db.select().from(chatIdentities),
  ]);
  const group = <T extends { personId: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.personId, [...(m.get(x.personId) ?? []), x]);
    return m;
  };
  const [gw, gs, ga, gi] = [group(pw), group(ps), group(pa), group(ids)];
  return rows.map((r) => ({
    id: asPersonId(r.id),
    email: r.email,
    name: r.name,
    roles: r.roles as Role[],
    wardIds: (gw.get(r.id) ?? []).map((x) => asWardId(x.wardId)).sort(),
    serviceIds: (gs.get(r.id) ?? []).map((x) => asServiceId(x.serviceId)).sort(),
    away: (ga.get(r.id) ?? []).map((x) => ({ from: x.fromDate, to: x.toDate })).sort((a, b) => a.from.localeCompare(b.from)),
    slackUserId: (gi.get(r.id) ?? []).find((x) => x.platform === 'slack')?.externalId ?? null,
    teamsUserId: (gi.get(r.id) ?? []).find((x) => x.platform === 'teams')?.externalId ?? null,
    active: r.active,
  }));
}

/**
 * The imported file is the directory: people in it are created or updated (matched by email),
 * people not in it are marked inactive (their cases keep their names). Returns counts.
 */
export async function replacePeople(db: Tx, list: Omit<Person, 'id'>[]): Promise<{ created: number; updated: number; deactivated: number }> {
  const existing = await db.select({ id: people.id, email: people.email }).from(people);
  const byEmail = new Map(existing.map((p) => [p.email.toLowerCase(), p.id]));
  let created = 0;
  let updated = 0;
  const keep = new Set<string>();
  for (const p of list) {
    let id = byEmail.get(p.email.toLowerCase());
    if (id) {
      await db.update(people).set({ email: p.email, name: p.name, roles: p.roles, active: true }).where(eq(people.id, id));
      updated++;
    } else {
      const [row] = await db.insert(people).values({ email: p.email, name: p.name, roles: p.roles, active: true }).returning({ id: people.id });
      id = row!.id;
      created++;
    }
    keep.add(id);
    await writePersonDetails(db, id, p);
  }
  const gone = existing.filter((p) => !keep.has(p.id)).map((p) => p.id);
  if (gone.length) await db.update(people).set({ active: false }).where(inArray(people.id, gone));
  return { created, updated, deactivated: gone.length };
}

async function writePersonDetails(db: Tx, id: string, p: Omit<Person, 'id'>): Promise<void> {
  await db.delete(personWards).where(eq(personWards.personId, id));
  await db.delete(personServices).where(eq(personServices.personId, id));
  await db.delete(personAway).where(eq(personAway.personId, id));
  await db.delete(chatIdentities).where(eq(chatIdentities.personId, id));
  if (p.wardIds.length) await db.insert(personWards).values(p.wardIds.map((w) => ({ personId: id, wardId: w })));
  if (p.serviceIds.length) await db.insert(personServices).values(p.serviceIds.map((s) => ({ personId: id, serviceId: s })));
  if (p.away.length) await db.insert(personAway).values(p.away.map((a) => ({ personId: id, fromDate: a.from, toDate: a.to })));
  const identities = [
    ...(p.slackUserId ? [{ platform: 'slack' as const, externalId: p.slackUserId, personId: id }] : []),
    ...(p.teamsUserId ? [{ platform: 'teams' as const, externalId: p.teamsUserId, personId: id }] : []),
    { platform: 'local' as const, externalId: p.email.toLowerCase(), personId: id },
  ];
  await db.insert(chatIdentities).values(identities)
    .onConflictDoUpdate({ target: [chatIdentities.platform, chatIdentities.externalId], set: { personId: sql`excluded.person_id` } });
}

export async function findPersonByChatId(db: Tx, platform: 'slack' | 'teams' | 'local', externalId: string): Promise<string | null> {
  const [row] = await db.select({ personId: chatIdentities.personId }).from(chatIdentities)
    .where(sql`${chatIdentities.platform} = ${platform} and ${chatIdentities.externalId} = ${externalId}`);
  return row?.personId ?? null;
}

/** Records a chat identity found another way (e.g. by the person's email on the platform). */
export async function linkChatIdentity(db: Tx, platform: 'slack' | 'teams' | 'local', externalId: string, personId: string): Promise<void> {
  await db.insert(chatIdentities).values({ platform, externalId, personId })
    .onConflictDoUpdate({ target: [chatIdentities.platform, chatIdentities.externalId], set: { personId } });
}

/** Adds someone not in the directory as a guest (no roles) known by their chat id; returns their id. */
export async function addGuest(db: Tx, g: { platform: 'slack' | 'teams' | 'local'; externalId: string; email: string; name: string }): Promise<string> {
  return db.transaction(async (tx) => {
    const [known] = await tx.select({ id: people.id }).from(people).where(sql`lower(${people.email}) = ${g.email.toLowerCase()}`);
    const id = known?.id ?? (await tx.insert(people).values({ email: g.email, name: g.name, roles: [], active: true }).returning({ id: people.id }))[0]!.id;
    await linkChatIdentity(tx, g.platform, g.externalId, id);
    return id;
  });
}
