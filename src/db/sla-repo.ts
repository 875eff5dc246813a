import type { SlaPolicy } from '../cases/sla.js';
import type { Urgency } from '../shared/enums.js';
import type { Tx } from './client.js';
import { slaPolicies } from './tables.js';

/** Per-service SLA overrides stored by admins; the shipped defaults apply where none is stored. */
export async function loadSlaPolicies(db: Tx): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies);
  return rows.map((r) => ({ ...(r.policy as SlaPolicy), serviceId: r.serviceId as SlaPolicy['serviceId'], urgency: r.urgency as Urgency }));
}

export async function saveSlaPolicy(db: Tx, policy: SlaPolicy): Promise<void> {
  await db.insert(slaPolicies).values({ serviceId: policy.serviceId, urgency: policy.urgency, policy })
    .onConflictDoUpdate({ target: [slaPolicies.serviceId, slaPolicies.urgency], set: { policy } });
}
