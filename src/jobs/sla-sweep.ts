import type { CaseRecord, CaseRepo, OutboundMessage } from '../cases/case-record.js';
import type { CaseContext } from '../cases/case-service.js';
import { planSlaCheck, type PlanCalendar, type ReminderSettings, type SlaAction } from '../cases/sla-plan.js';
import { caseRepoOn } from '../db/case-store.js';
import { enqueueOutbound } from '../db/outbox-repo.js';
import type { Db } from '../db/client.js';
import { claimDueChecks, nextCheckDue, recordSlaAction, sentKeysFor, setNextChecks } from '../db/sla-sweep-repo.js';
import type { Clock } from '../shared/clock.js';
import { asCaseId } from '../shared/ids.js';

/** Messages for a reminder or escalation (RM, escalation manager, senior officer, the councillor). */
export type SlaNotifier = (input: { caseRecord: CaseRecord; action: SlaAction; context: CaseContext }, repo: CaseRepo) => Promise<OutboundMessage[]> | OutboundMessage[];

export interface SlaSweepDeps {
  db: Db;
  clock: Clock;
  calendar: PlanCalendar;
  settings: ReminderSettings;
  loadContext: () => Promise<CaseContext>;
  notify: SlaNotifier;
  batchSize?: number;
}

/**
 * One sweep: claim the checks that are due (by index, SKIP LOCKED), send what each case needs
 * once, and set its next check. When nothing is due it costs one index probe.
 */
export async function runSlaSweep(deps: SlaSweepDeps): Promise<{ checked: number; actions: number; nextDueAt: Date | null }> {
  const now = deps.clock.now();
  const first = await nextCheckDue(deps.db);
  if (!first || first > now) return { checked: 0, actions: 0, nextDueAt: first };
  // Read before the transaction: nothing inside may use the handle (on PGlite it would wait forever).
  const context = await deps.loadContext();
  let checked = 0;
  let actions = 0;
  // Cases opened together have the same deadlines: with nothing sent yet, they have the same plan.
  const plans = new Map<string, ReturnType<typeof planSlaCheck>>();
  const planOf = (c: CaseRecord, sent: Set<string>) => {
    if (sent.size) return planSlaCheck(c, now, deps.calendar, deps.settings, sent);
    const k = [c.status, c.urgency, c.acknowledgeBy?.getTime(), c.respondBy?.getTime(), !!c.acknowledgedAt, !!c.respondedAt].join('|');
    if (!plans.has(k)) plans.set(k, planSlaCheck(c, now, deps.calendar, deps.settings, sent));
    return plans.get(k)!;
  };
  for (;;) {
    const batch = await deps.db.transaction(async (tx) => {
      const ids = await claimDueChecks(tx, now, deps.batchSize ?? 200);
      if (!ids.length) return 0;
      const sent = await sentKeysFor(tx, ids);
      const repo = caseRepoOn(tx);
      const cases = new Map((await repo.getCases(ids.map(asCaseId))).map((c) => [c.id as string, c]));
      const next: { caseId: string; at: Date | null }[] = [];
      for (const id of ids) {
        const c = cases.get(id);
        if (!c) { next.push({ caseId: id, at: null }); continue; }
        const plan = planOf(c, sent.get(id) ?? new Set());
        for (const action of plan.actions) {
          if (!(await recordSlaAction(tx, id, action, now))) continue;
          actions++;
          await enqueueOutbound(tx, await deps.notify({ caseRecord: c, action, context }, repo), c.id, now);
        }
        next.push({ caseId: id, at: plan.nextCheckAt });
      }
      await setNextChecks(tx, next);
      return ids.length;
    });
    checked += batch;
    if (batch < (deps.batchSize ?? 200)) break;
  }
  return { checked, actions, nextDueAt: await nextCheckDue(deps.db) };
}
