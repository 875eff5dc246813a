import { desc, eq, sql } from 'drizzle-orm';
import type { RoutingRule, RoutingTable } from '../routing/routing-table.js';
import type { Scope } from '../shared/enums.js';
import { asPersonId, asServiceId, type PersonId } from '../shared/ids.js';
import type { Tx } from './client.js';
import { routingRules, routingTables, settings } from './tables.js';

const TRIAGE_KEY = 'triage_owner_id';

/** The current routing table (the newest version); version 0 with no rules before any import. */
export async function loadRoutingTable(db: Tx): Promise<RoutingTable> {
  const [latest] = await db.select().from(routingTables).orderBy(desc(routingTables.version)).limit(1);
  const triageOwnerId = await getTriageOwner(db);
  if (!latest) return { version: 0, rules: [], triageOwnerId };
  const rows = await db.select().from(routingRules).where(eq(routingRules.version, latest.version));
  return {
    version: latest.version,
    triageOwnerId,
    rules: rows.map((r) => ({
      id: r.id, serviceId: asServiceId(r.serviceId), scope: r.scope as Scope, area: r.area,
      rmId: asPersonId(r.rmId), deputyId: r.deputyId ? asPersonId(r.deputyId) : null,
    })),
  };
}

/** A good import replaces the whole table with a new version; the old versions stay for history. */
export async function replaceRoutingTable(db: Tx, rules: Omit<RoutingRule, 'id'>[], meta: { source: string; at: Date; onProgress?: (done: number) => void }): Promise<number> {
  // Serialise concurrent imports: the version number is taken under a transaction-level lock.
  await db.execute(sql`select pg_advisory_xact_lock(7426001)`);
  const [row] = await db.select({ max: sql<number>`coalesce(max(${routingTables.version}), 0)::int` }).from(routingTables);
  const version = (row?.max ?? 0) + 1;
  await db.insert(routingTables).values({ version, createdAt: meta.at, source: meta.source, ruleCount: rules.length });
  for (let i = 0; i < rules.length; i += 1000) {
    await db.insert(routingRules).values(rules.slice(i, i + 1000).map((r) => ({
      version, serviceId: r.serviceId, scope: r.scope, area: r.area, rmId: r.rmId, deputyId: r.deputyId,
    })));
    meta.onProgress?.(Math.min(i + 1000, rules.length));
  }
  return version;
}

export async function listRoutingVersions(db: Tx): Promise<{ version: number; createdAt: Date; source: string; ruleCount: number }[]> {
  return db.select({ version: routingTables.version, createdAt: routingTables.createdAt, source: routingTables.source, ruleCount: routingTables.ruleCount })
    .from(routingTables).orderBy(desc(routingTables.version));
}

export async function getTriageOwner(db: Tx): Promise<PersonId | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, TRIAGE_KEY));
  return typeof row?.value === 'string' ? asPersonId(row.value) : null;
}

export async function setTriageOwner(db: Tx, personId: string): Promise<void> {
  await db.insert(settings).values({ key: TRIAGE_KEY, value: personId })
    .onConflictDoUpdate({ target: settings.key, set: { value: personId } });
}
