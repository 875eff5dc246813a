import type { Person } from '../directory/person.js';
import { routeCase } from '../routing/route-case.js';
import type { RouteDecision } from '../routing/routing-table.js';
import { AppError } from '../shared/errors.js';
import type { PersonId, ServiceId, WardId } from '../shared/ids.js';
import type { CasePatch } from './case-record.js';
import type { CaseContext } from './case-service.js';
import { computeDueTimes } from './sla.js';
import type { WorkingCalendar } from './working-time.js';

/** The decisions opening and changing a case share: who acts, where a case goes, when it is due. */
export function createCaseRules(calendar: WorkingCalendar) {
  function actorIn(ctx: CaseContext, actorId: PersonId): Person {
    const actor = ctx.directory.byId.get(actorId);
    if (!actor || !actor.active) throw new AppError('directory.unknown_person', 'You are not in the wardline directory; ask an admin to add you.');
    return actor;
  }

  function route(ctx: CaseContext, serviceId: ServiceId | null, wardId: WardId | null, at: Date): RouteDecision {
    if (!serviceId || !wardId) {
      return { kind: 'unrouted', version: ctx.table.version, reason: `No ${!serviceId ? 'service' : 'ward'} yet, so no rule applies; sent to triage.`, assigneeId: ctx.table.triageOwnerId };
    }
    return routeCase(ctx.table, ctx.index, ctx.directory, { serviceId, wardId, onDate: calendar.localDate(at) });
  }

  function routingPatch(decision: RouteDecision): CasePatch {
    return decision.kind === 'routed'
      ? { routing: decision, routingVersion: decision.version, assigneeId: decision.assigneeId, rmId: decision.rmId, deputyId: decision.deputyId }
      : { routing: decision, routingVersion: decision.version, assigneeId: decision.assigneeId, rmId: null, deputyId: null };
  }

  function duePatch(ctx: CaseContext, serviceId: ServiceId | null, urgent: boolean, from: Date): CasePatch {
    const due = computeDueTimes(calendar, ctx.policies, { serviceId: serviceId ?? '*', urgent, openedAt: from });
    return { acknowledgeBy: due.acknowledgeBy, respondBy: due.respondBy, resolveBy: due.resolveBy };
  }

  return { actorIn, route, routingPatch, duePatch };
}

export type CaseRules = ReturnType<typeof createCaseRules>;
