import { and, eq } from 'drizzle-orm';
import type { Tx } from './client.js';
import { digestDeliveries, digestSubscriptions } from './tables.js';

import type { DigestScope as SubscriptionScope } from '../digests/subscriptions-csv.js';

export interface Subscription {
  personId: string;
  scope: SubscriptionScope;
  area: string;
}

export async function subscribe(db: Tx, s: Subscription, at: Date): Promise<boolean> {
  const rows = await db.insert(digestSubscriptions).values({ ...s, createdAt: at }).onConflictDoNothing().returning({ p: digestSubscriptions.personId });
  return rows.length > 0;
}

export async function unsubscribe(db: Tx, s: Subscription): Promise<boolean> {
  const rows = await db.delete(digestSubscriptions)
    .where(and(eq(digestSubscriptions.personId, s.personId), eq(digestSubscriptions.scope, s.scope), eq(digestSubscriptions.area, s.area)))
    .returning({ p: digestSubscriptions.personId });
  return rows.length > 0;
}

export async function listSubscriptions(db: Tx, personId?: string): Promise<Subscription[]> {
  const q = db.select().from(digestSubscriptions);
  const rows = personId ? await q.where(eq(digestSubscriptions.personId, personId)) : await q;
  return rows.map((r) => ({ personId: r.personId, scope: r.scope as SubscriptionScope, area: r.area }));
}

/** Adds the imported subscriptions (existing ones stay). Returns how many were new. */
export async function importSubscriptions(db: Tx, list: Subscription[], at: Date): Promise<number> {
  let added = 0;
  for (const s of list) if (await subscribe(db, s, at)) added++;
  return added;
}

/** Marks a digest sent for a week; false when it already was (idempotent per ISO week). */
export async function markDigestSent(db: Tx, d: Subscription & { week: string }, at: Date): Promise<boolean> {
  const rows = await db.insert(digestDeliveries).values({ week: d.week, personId: d.personId, scope: d.scope, area: d.area, sentAt: at })
    .onConflictDoNothing().returning({ p: digestDeliveries.personId });
  return rows.length > 0;
}
