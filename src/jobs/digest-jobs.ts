import type { OutboundMessage } from '../cases/case-record.js';
import type { CaseContext } from '../cases/case-service.js';
import type { Db } from '../db/client.js';
import { loadWardWeekAggregates } from '../db/digest-repo.js';
import { enqueueOutbound } from '../db/outbox-repo.js';
import { listSubscriptions, markDigestSent } from '../db/subscriptions-repo.js';
import { buildWardDigest, isoWeekOf, parseIsoWeek, previousWeeks, type WardDigest } from '../digests/digest-model.js';
import { wardsForDigest } from '../digests/subscriptions-csv.js';
import type { DigestSendPayload } from './job-runtime.js';

/** Messages carrying one recipient's digests (one per ward) on the platforms they use. */
export type DigestNotifier = (input: { personId: string; scope: string; area: string; week: string; digests: WardDigest[]; context: CaseContext }) => OutboundMessage[];

export interface DigestJobDeps {
  db: Db;
  zone: string;
  loadContext: () => Promise<CaseContext>;
  notify: DigestNotifier;
}

/** Monday morning: one job per subscription for the ISO week just ended. */
export async function planDigests(deps: DigestJobDeps, now: Date): Promise<DigestSendPayload[]> {
  const week = isoWeekOf(new Date(now.getTime() - 7 * 86_400_000), deps.zone);
  const subs = await listSubscriptions(deps.db);
  return subs.map((s) => ({ week: week.id, personId: s.personId, scope: s.scope, area: s.area }));
}

/** Builds and queues one recipient's digest, once per ISO week whatever the retries. */
export async function sendDigest(deps: DigestJobDeps, p: DigestSendPayload, now: Date): Promise<{ sent: boolean }> {
  const ctx = await deps.loadContext();
  const week = parseIsoWeek(p.week, deps.zone);
  const scope = p.scope as Parameters<typeof wardsForDigest>[1];
  const wardIds = wardsForDigest(ctx.index, scope, p.area);
  const aggs = await loadWardWeekAggregates(deps.db, {
    wardIds, week, previous: previousWeeks(week, 4, deps.zone), ...(scope === 'service' ? { serviceId: p.area } : {}),
  });
  const digests = aggs.filter((a) => scope === 'ward' || a.newCount + a.openCount > 0).map((a) => buildWardDigest(a, ctx.index, week));
  return deps.db.transaction(async (tx) => {
    if (!(await markDigestSent(tx, { ...p, scope }, now))) return { sent: false };
    await enqueueOutbound(tx, deps.notify({ ...p, digests, context: ctx }), null, now);
    return { sent: true };
  });
}
