import { and, eq, inArray, sql } from 'drizzle-orm';
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

const BATCH = 5000;
type NewPerson = Omit<Person, 'id'>;

/** Rows as one JSON parameter, read back with json_to_recordset: one statement per batch, any driver. */
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * The imported file is the directory: people in it are created or updated (matched by email),
 * people not in it are marked inactive (their cases keep their names). Written in batches, one
 * statement per table each; `onProgress` hears how many people are written. Returns counts.
 */
export async function replacePeople(db: Tx, list: NewPerson[], opts: { onProgress?: (done: number) => void; current?: Person[] } = {}): Promise<{ created: number; updated: number; unchanged: number; deactivated: number }> {
  const existing = await db.select({ id: people.id, email: people.email, active: people.active }).from(people);
  const byEmail = new Map(existing.map((p) => [p.email.toLowerCase(), p.id]));
  // People already exactly as the file says (given the directory as loaded) are left alone.
  const same = new Set((opts.current ?? []).map(personKey));
  let created = 0;
  let updated = 0;
  const keep = new Set<string>();
  for (let i = 0; i < list.length; i += BATCH) {
    const all = list.slice(i, i + BATCH);
    for (const p of all) if (byEmail.has(p.email.toLowerCase())) keep.add(byEmail.get(p.email.toLowerCase())!);
    const chunk = all.filter((p) => !same.has(personKey(p)));
    const fresh = chunk.filter((p) => !byEmail.has(p.email.toLowerCase()));
    const known = chunk.filter((p) => byEmail.has(p.email.toLowerCase()));
    if (fresh.length) {
      const rows = await db.execute<{ id: string; email: string }>(sql`insert into ${people} (email, name, roles)
        select email, name, roles::role[] from json_to_recordset(${json(fresh.map((p) => ({ email: p.email, name: p.name, roles: `{${p.roles.join(',')}}` })))})
        as x(email text, name text, roles text) returning id, email`);
      for (const r of rowsOf<{ id: string; email: string }>(rows)) byEmail.set(r.email.toLowerCase(), r.id);
      created += fresh.length;
    }
    updated += known.length;
    if (known.length) {
      await db.execute(sql`update ${people} set email = x.email, name = x.name, roles = x.roles::role[], active = true
        from json_to_recordset(${json(known.map((p) => ({ id: byEmail.get(p.email.toLowerCase()), email: p.email, name: p.name, roles: `{${p.roles.join(',')}}` })))})
        as x(id uuid, email text, name text, roles text) where ${people.id} = x.id`);
    }
    const ids = chunk.map((p) => byEmail.get(p.email.toLowerCase())!);
    for (const id of ids) keep.add(id);
    if (chunk.length) await writePeopleDetails(db, chunk, ids, known.map((p) => byEmail.get(p.email.toLowerCase())!));
    opts.onProgress?.(i + all.length);
  }
  const gone = existing.filter((p) => p.active && !keep.has(p.id)).map((p) => p.id);
  if (gone.length) await db.execute(sql`update ${people} set active = false where id = any(${uuids(gone)})`);
  return { created, updated, unchanged: list.length - created - updated, deactivated: gone.length };
}

/** Everything an import sets on a person, as one comparable string. */
function personKey(p: NewPerson): string {
  const sorted = (xs: readonly string[]) => [...xs].sort().join(';');
  return [p.active ? 'active' : 'inactive', p.email, p.name, sorted(p.roles), sorted(p.wardIds), sorted(p.serviceIds),
    p.slackUserId ?? '', p.teamsUserId ?? '', p.away.map((a) => `${a.from}..${a.to}`).sort().join(';')].join('\u0000');
}

/** postgres.js returns the rows; PGlite an object holding them. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** Replaces the wards, services, absences and chat ids of `list` (whose ids are `ids`; `known` had some before). */
async function writePeopleDetails(db: Tx, list: NewPerson[], ids: string[], known: string[]): Promise<void> {
  for (const table of known.length ? ['person_wards', 'person_services', 'person_away', 'chat_identities'] : []) {
    await db.execute(sql`delete from ${sql.identifier(table)} where person_id = any(${uuids(known)})`);
  }
  const wardRows = list.flatMap((p, i) => p.wardIds.map((w) => ({ p: ids[i], w })));
  const serviceRows = list.flatMap((p, i) => p.serviceIds.map((s) => ({ p: ids[i], s })));
  const awayRows = list.flatMap((p, i) => p.away.map((a) => ({ p: ids[i], f: a.from, t: a.to })));
  const identities = list.flatMap((p, i) => [
    ...(p.slackUserId ? [{ k: 'slack', e: p.slackUserId, p: ids[i] }] : []),
    ...(p.teamsUserId ? [{ k: 'teams', e: p.teamsUserId, p: ids[i] }] : []),
    { k: 'local', e: p.email.toLowerCase(), p: ids[i] },
  ]);
  if (wardRows.length) await db.execute(sql`insert into ${personWards} (person_id, ward_id) select p, w from json_to_recordset(${json(wardRows)}) as x(p uuid, w text)`);
  if (serviceRows.length) await db.execute(sql`insert into ${personServices} (person_id, service_id) select p, s from json_to_recordset(${json(serviceRows)}) as x(p uuid, s text)`);
  if (awayRows.length) await db.execute(sql`insert into ${personAway} (person_id, from_date, to_date) select p, f, t from json_to_recordset(${json(awayRows)}) as x(p uuid, f date, t date)`);
  await db.execute(sql`insert into ${chatIdentities} (platform, external_id, person_id)
    select k::platform, e, p from json_to_recordset(${json(identities)}) as x(k text, e text, p uuid)
    on conflict (platform, external_id) do update set person_id = excluded.person_id`);
}

export async function findPersonByChatId(db: Tx, platform: 'slack' | 'teams' | 'local', externalId: string): Promise<string | null> {
  const [row] = await db.select({ personId: chatIdentities.personId }).from(chatIdentities)
    .where(sql`${chatIdentities.platform} = ${platform} and ${chatIdentities.externalId} = ${externalId}`);
  return row?.personId ?? null;
}

/** Many chat users at once (a batch of events): `platform:externalId` → person id, for those known. */
export async function findPeopleByChatIds(db: Tx, who: { platform: 'slack' | 'teams' | 'local'; externalId: string }[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const byPlatform = new Map<string, Set<string>>();
  for (const w of who) byPlatform.set(w.platform, (byPlatform.get(w.platform) ?? new Set()).add(w.externalId));
  for (const [platform, ids] of byPlatform) {
    const rows = await db.select({ externalId: chatIdentities.externalId, personId: chatIdentities.personId }).from(chatIdentities)
      .where(and(eq(chatIdentities.platform, platform as 'slack'), inArray(chatIdentities.externalId, [...ids])));
    for (const r of rows) found.set(`${platform}:${r.externalId}`, r.personId);
  }
  return found;
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
