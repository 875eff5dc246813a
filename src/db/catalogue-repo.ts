import { eq, sql } from 'drizzle-orm';
import type { Catalogue } from '../catalogue/catalogue.js';
import { defaultAmbiguousAreas, defaultClaims } from '../catalogue/default-catalogue.js';
import { asClusterId, asDistrictId, asServiceId, asWardId } from '../shared/ids.js';
import type { Scope } from '../shared/enums.js';
import type { Tx } from './client.js';
import { areaAliases, clusterWards, clusters, districts, services, wards, wardSets } from './tables.js';

/** Writes the shipped catalogue (services, the chosen ward set, districts, aliases); idempotent. */
export async function syncCatalogue(db: Tx, catalogue: Catalogue): Promise<void> {
  await db.insert(wardSets).values({ id: catalogue.wardSet, active: true })
    .onConflictDoUpdate({ target: wardSets.id, set: { active: true } });
  await db.update(wardSets).set({ active: false }).where(sql`${wardSets.id} <> ${catalogue.wardSet}`);
  if (catalogue.districts.length) {
    await db.insert(districts).values(catalogue.districts.map((d) => ({ id: d.id, name: d.name })))
      .onConflictDoUpdate({ target: districts.id, set: { name: sql`excluded.name` } });
  }
  await db.insert(wards).values(catalogue.wards.map((w) => ({ id: w.id, wardSet: catalogue.wardSet, name: w.name, districtId: w.districtId })))
    .onConflictDoUpdate({ target: wards.id, set: { name: sql`excluded.name`, districtId: sql`excluded.district_id`, wardSet: sql`excluded.ward_set` } });
  await db.insert(services).values(catalogue.services.map((s) => ({
    id: s.id, name: s.name, portfolio: s.portfolio, levels: s.levels, phase1: s.phase1, covers: s.covers,
    vocabulary: s.vocabulary, restricted: s.restricted,
  }))).onConflictDoUpdate({ target: services.id, set: {
    name: sql`excluded.name`, portfolio: sql`excluded.portfolio`, levels: sql`excluded.levels`, phase1: sql`excluded.phase1`,
    covers: sql`excluded.covers`, vocabulary: sql`excluded.vocabulary`, restricted: sql`excluded.restricted`,
  } });
  if (catalogue.aliases.length) {
    await db.insert(areaAliases).values(catalogue.aliases.map((a) => ({ alias: a.alias.toLowerCase(), wardId: a.wardId, source: 'catalogue' })))
      .onConflictDoNothing();
  }
}

/** The catalogue as the database holds it now: the active ward set, its clusters and aliases. */
export async function loadCatalogue(db: Tx): Promise<Catalogue> {
  const [active] = await db.select().from(wardSets).where(eq(wardSets.active, true));
  const wardSet = active?.id ?? 'birmingham-2018';
  const wardRows = await db.select().from(wards).where(eq(wards.wardSet, wardSet)).orderBy(wards.id);
  const wardIds = new Set(wardRows.map((w) => w.id));
  const districtRows = await db.select().from(districts).orderBy(districts.id);
  const clusterRows = await db.select().from(clusters).orderBy(clusters.id);
  const cw = await db.select().from(clusterWards);
  const serviceRows = await db.select().from(services).orderBy(services.id);
  const aliasRows = await db.select().from(areaAliases).orderBy(areaAliases.alias);
  return {
    wardSet,
    wards: wardRows.map((w) => ({ id: asWardId(w.id), name: w.name, districtId: w.districtId ? asDistrictId(w.districtId) : null })),
    districts: districtRows
      .map((d) => ({ id: asDistrictId(d.id), name: d.name, wardIds: wardRows.filter((w) => w.districtId === d.id).map((w) => asWardId(w.id)) }))
      .filter((d) => d.wardIds.length > 0),
    clusters: clusterRows.map((c) => ({
      id: asClusterId(c.id), name: c.name,
      wardIds: cw.filter((x) => x.clusterId === c.id && wardIds.has(x.wardId)).map((x) => asWardId(x.wardId)),
    })),
    services: serviceRows.map((s) => ({
      id: asServiceId(s.id), name: s.name, portfolio: s.portfolio, levels: s.levels as Scope[], phase1: s.phase1,
      covers: s.covers, vocabulary: s.vocabulary, restricted: s.restricted, cardChannels: s.cardChannels, retentionMonths: s.retentionMonths,
    })),
    aliases: aliasRows.filter((a) => wardIds.has(a.wardId)).map((a) => ({ alias: a.alias, wardId: asWardId(a.wardId) })),
    claims: defaultClaims(),
    ambiguousAreas: defaultAmbiguousAreas(wardSet === 'birmingham-2004' ? 'birmingham-2004' : 'birmingham-2018'),
  };
}

export async function replaceClusters(db: Tx, list: { id: string; name: string; wardIds: string[] }[]): Promise<void> {
  await db.delete(clusterWards);
  await db.delete(clusters);
  if (!list.length) return;
  await db.insert(clusters).values(list.map((c) => ({ id: c.id, name: c.name })));
  const links = list.flatMap((c) => c.wardIds.map((w) => ({ clusterId: c.id, wardId: w })));
  if (links.length) await db.insert(clusterWards).values(links);
}

export async function upsertAliases(db: Tx, list: { alias: string; wardId: string }[], source: string): Promise<void> {
  if (!list.length) return;
  await db.insert(areaAliases).values(list.map((a) => ({ alias: a.alias.toLowerCase(), wardId: a.wardId, source })))
    .onConflictDoUpdate({ target: areaAliases.alias, set: { wardId: sql`excluded.ward_id`, source: sql`excluded.source` } });
}

/** A service's retention in months (null: RETENTION_MONTHS); returns what it was, or undefined for an unknown service. */
export async function setServiceRetention(db: Tx, serviceId: string, months: number | null): Promise<{ before: number | null } | undefined> {
  const [row] = await db.select({ before: services.retentionMonths }).from(services).where(eq(services.id, serviceId)).for('update');
  if (!row) return undefined;
  await db.update(services).set({ retentionMonths: months }).where(eq(services.id, serviceId));
  return row;
}

/** Sends a service's RM cards to a channel on a platform (null: back to the RM's DMs). */
export async function setServiceCardChannel(db: Tx, serviceId: string, platform: string, channelId: string | null): Promise<boolean> {
  const value = channelId ? sql`${services.cardChannels} || jsonb_build_object(${platform}::text, ${channelId}::text)` : sql`${services.cardChannels} - ${platform}::text`;
  const rows = await db.update(services).set({ cardChannels: value }).where(eq(services.id, serviceId)).returning({ id: services.id });
  return rows.length > 0;
}
