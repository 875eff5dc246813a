import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory, Person } from '../directory/person.js';
import { routeCase } from '../routing/route-case.js';
import type { RouteDecision, RoutingTable } from '../routing/routing-table.js';
import type { Clock } from '../shared/clock.js';
import type { CaseStatus, Platform } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';
import type { CaseId, PersonId, ServiceId, WardId } from '../shared/ids.js';
import { assertCan, isStaffOnCase, type CaseAction } from './authorisation.js';
import type { CaseEvent, CasePatch, CaseRecord, CaseRepo, CaseStore, NewCaseEvent, OutboundMessage } from './case-record.js';
import { assertTransition } from './lifecycle.js';
import { computeDueTimes, type SlaPolicy } from './sla.js';
import { extendForPause, type WorkingCalendar } from './working-time.js';

/** Everything a case decision reads: loaded per call from the store, never kept in one process. */
export interface CaseContext {
  index: CatalogueIndex;
  directory: Directory;
  table: RoutingTable;
  policies: SlaPolicy[];
}

export interface CaseDraft {
  serviceId: ServiceId | null;
  wardId: WardId | null;
  urgent: boolean;
  topic?: string | null;
  location?: string | null;
  summary: string;
  description: string;
  sourcePlatform?: Platform | null;
}

/** Messages a change produces (case cards, notices); wired in by the conversations layer. */
export type CaseNotifier = (change: { caseRecord: CaseRecord; event: CaseEvent; context: CaseContext }) => OutboundMessage[];

export interface CaseServiceDeps {
  store: CaseStore;
  clock: Clock;
  calendar: WorkingCalendar;
  loadContext: () => Promise<CaseContext>;
  notify?: CaseNotifier;
  /** Told of every committed change (metrics). */
  observe?: (change: { action: CaseAction | 'open'; caseRecord: CaseRecord }) => void;
}

const MAX_TEXT = 40_000;

export function createCaseService(deps: CaseServiceDeps) {
  const { store, clock } = deps;

  function actorIn(ctx: CaseContext, actorId: PersonId): Person {
    const actor = ctx.directory.byId.get(actorId);
    if (!actor || !actor.active) throw new AppError('directory.unknown_person', 'You are not in the wardline directory; ask an admin to add you.');
    return actor;
  }

  function dayOf(d: Date): string {
    return deps.calendar.localDate(d);
  }

  function route(ctx: CaseContext, serviceId: ServiceId | null, wardId: WardId | null, at: Date): RouteDecision {
    if (!serviceId || !wardId) {
      return { kind: 'unrouted', version: ctx.table.version, reason: `No ${!serviceId ? 'service' : 'ward'} yet, so no rule applies; sent to triage.`, assigneeId: ctx.table.triageOwnerId };
    }
    return routeCase(ctx.table, ctx.index, ctx.directory, { serviceId, wardId, onDate: dayOf(at) });
  }

  function routingPatch(decision: RouteDecision): CasePatch {
    return decision.kind === 'routed'
      ? { routing: decision, routingVersion: decision.version, assigneeId: decision.assigneeId, rmId: decision.rmId, deputyId: decision.deputyId }
      : { routing: decision, routingVersion: decision.version, assigneeId: decision.assigneeId, rmId: null, deputyId: null };
  }

  function duePatch(ctx: CaseContext, serviceId: ServiceId | null, urgent: boolean, from: Date): CasePatch {
    const due = computeDueTimes(deps.calendar, ctx.policies, { serviceId: serviceId ?? '*', urgent, openedAt: from });
    return { acknowledgeBy: due.acknowledgeBy, respondBy: due.respondBy, resolveBy: due.resolveBy };
  }

  async function emit(repo: CaseRepo, ctx: CaseContext, caseRecord: CaseRecord, event: CaseEvent, at: Date): Promise<void> {
    if (!deps.notify) return;
    await repo.enqueue(deps.notify({ caseRecord, event, context: ctx }), caseRecord.id, at);
  }

  /** One change: lock the case, check the right and the transition, patch, write exactly one event. */
  async function change(
    caseId: CaseId, actorId: PersonId, action: CaseAction,
    build: (c: CaseRecord, ctx: CaseContext, actor: Person, now: Date) => { to?: CaseStatus; patch: CasePatch; event: Omit<NewCaseEvent, 'at' | 'actorId' | 'fromStatus' | 'toStatus'> },
    opts: { expectedStatus?: CaseStatus } = {},
  ): Promise<CaseRecord> {
    const ctx = await deps.loadContext();
    const now = clock.now();
    const updated = await store.transaction(async (repo) => {
      const c = await repo.getCase(caseId, { forUpdate: true });
      if (!c) throw new AppError('case.not_found', 'That case does not exist.', { meta: { caseId } });
      if (opts.expectedStatus && c.status !== opts.expectedStatus) {
        throw new AppError('case.conflict', `${c.reference} changed meanwhile: it is now ${c.status.replace('_', ' ')}.`, { meta: { reference: c.reference } });
      }
      const actor = actorIn(ctx, actorId);
      assertCan(actor, action, c, now);
      const allowed = assertTransition(c.status, action, c.reference, c.statusBeforeInfo);
      const plan = build(c, ctx, actor, now);
      const to = plan.to ?? allowed;
      const updated = await repo.updateCase(c.id, { ...plan.patch, status: to, updatedAt: now });
      const event = await repo.appendEvent(c.id, { ...plan.event, at: now, actorId: actor.id, fromStatus: c.status, toStatus: to });
      await emit(repo, ctx, updated, event, now);
      return updated;
    });
    deps.observe?.({ action, caseRecord: updated });
    return updated;
  }

  return {
    async openCase(actorId: PersonId, draft: CaseDraft): Promise<CaseRecord> {
      const ctx = await deps.loadContext();
      const actor = actorIn(ctx, actorId);
      if (draft.serviceId && !ctx.index.service(draft.serviceId)) throw new AppError('catalogue.unknown_service', `There is no service called "${draft.serviceId}".`);
      if (draft.wardId && !ctx.index.ward(draft.wardId)) throw new AppError('catalogue.unknown_ward', `There is no ward called "${draft.wardId}".`);
      if (draft.description.length > MAX_TEXT) throw new AppError('case.invalid_input', `The description is over ${MAX_TEXT} characters; shorten it or attach the rest as a link.`);
      const now = clock.now();
      const decision = route(ctx, draft.serviceId, draft.wardId, now);
      const status: CaseStatus = decision.kind === 'routed' ? 'routed' : 'new';
      const opened = await store.transaction(async (repo) => {
        const created = await repo.insertCase({
          status, statusBeforeInfo: null, serviceId: draft.serviceId, wardId: draft.wardId,
          urgency: draft.urgent ? 'urgent' : 'normal', topic: draft.topic ?? null, location: draft.location ?? null,
          summary: draft.summary.slice(0, 300), description: draft.description, raisedById: actor.id,
          assigneeId: null, rmId: null, deputyId: null, routing: null, routingVersion: null,
          sourcePlatform: draft.sourcePlatform ?? null, acknowledgeBy: null, respondBy: null, resolveBy: null, pausedAt: null,
          acknowledgedAt: null, respondedAt: null, resolvedAt: null, closedAt: null, escalationLevel: 0, duplicateOfId: null,
          ...routingPatch(decision), ...duePatch(ctx, draft.serviceId, draft.urgent, now),
          createdAt: now, updatedAt: now,
        });
        const event = await repo.appendEvent(created.id, {
          type: 'opened', actorId: actor.id, at: now, fromStatus: null, toStatus: status,
          data: { routing: decision, urgent: draft.urgent },
        });
        await emit(repo, ctx, created, event, now);
        return created;
      });
      deps.observe?.({ action: 'open', caseRecord: opened });
      return opened;
    },

    acknowledge: (caseId: CaseId, actorId: PersonId, opts?: { expectedStatus?: CaseStatus }) =>
      change(caseId, actorId, 'acknowledge', (_c, _ctx, _a, now) => ({
        patch: { acknowledgedAt: now }, event: { type: 'acknowledged', data: {} },
      }), opts),

    addUpdate: (caseId: CaseId, actorId: PersonId, text: string, extra: Record<string, unknown> = {}) =>
      change(caseId, actorId, 'addUpdate', (c, _ctx, actor, now) => {
        const staff = isStaffOnCase(actor, c);
        const moves = staff && (c.status === 'routed' || c.status === 'acknowledged' || c.status === 'reopened');
        return {
          to: moves ? 'in_progress' as const : c.status,
          patch: staff && !c.respondedAt ? { respondedAt: now, ...(c.acknowledgedAt ? {} : { acknowledgedAt: now }) } : {},
          event: { type: 'update', data: { text: clip(text), byRole: staff ? 'staff' : 'councillor', ...extra } },
        };
      }),

    requestInfo: (caseId: CaseId, actorId: PersonId, question: string) =>
      change(caseId, actorId, 'requestInfo', (c, _ctx, _a, now) => ({
        patch: { statusBeforeInfo: c.status, pausedAt: now }, event: { type: 'info_requested', data: { text: clip(question) } },
      })),

    provideInfo: (caseId: CaseId, actorId: PersonId, text: string) =>
      change(caseId, actorId, 'provideInfo', (c, _ctx, _a, now) => {
        const pausedAt = c.pausedAt ?? now;
        const extend = (d: Date | null) => (d ? extendForPause(deps.calendar, d, pausedAt, now) : null);
        return {
          patch: { statusBeforeInfo: null, pausedAt: null, acknowledgeBy: extend(c.acknowledgeBy), respondBy: extend(c.respondBy), resolveBy: extend(c.resolveBy) },
          event: { type: 'info_provided', data: { text: clip(text) } },
        };
      }),

    resolve: (caseId: CaseId, actorId: PersonId, note: string, opts?: { expectedStatus?: CaseStatus }) =>
      change(caseId, actorId, 'resolve', (c, _ctx, _a, now) => ({
        patch: { resolvedAt: now, respondedAt: c.respondedAt ?? now }, event: { type: 'resolved', data: { text: clip(note) } },
      }), opts),

    reopen: (caseId: CaseId, actorId: PersonId, reason: string) =>
      change(caseId, actorId, 'reopen', (c, ctx) => ({
        patch: { resolvedAt: null, ...duePatch(ctx, c.serviceId, c.urgency === 'urgent', clock.now()) },
        event: { type: 'reopened', data: { text: clip(reason) } },
      })),

    reassign: (caseId: CaseId, actorId: PersonId, toPersonId: PersonId, note = '') =>
      change(caseId, actorId, 'reassign', (c, ctx) => {
        const target = ctx.directory.byId.get(toPersonId);
        if (!target || !target.active || !target.roles.some((r) => r === 'rm' || r === 'manager' || r === 'admin')) {
          throw new AppError('case.invalid_input', `${target?.name ?? 'That person'} cannot take cases: only RMs, managers and admins can.`);
        }
        return { patch: { assigneeId: target.id }, event: { type: 'reassigned', data: { from: c.assigneeId, to: target.id, note: clip(note) } } };
      }),

    reroute: (caseId: CaseId, actorId: PersonId, target: { serviceId?: ServiceId; wardId?: WardId }, note = '') =>
      change(caseId, actorId, 'reroute', (c, ctx, actor, now) => {
        if (target.serviceId && !ctx.index.service(target.serviceId)) throw new AppError('catalogue.unknown_service', `There is no service called "${target.serviceId}".`);
        if (target.wardId && !ctx.index.ward(target.wardId)) throw new AppError('catalogue.unknown_ward', `There is no ward called "${target.wardId}".`);
        const serviceId = target.serviceId ?? c.serviceId;
        const wardId = target.wardId ?? c.wardId;
        const decision = route(ctx, serviceId, wardId, now);
        return {
          to: decision.kind === 'routed' ? 'routed' : 'new',
          patch: { serviceId, wardId, ...routingPatch(decision), ...duePatch(ctx, serviceId, c.urgency === 'urgent', now), acknowledgedAt: null },
          event: { type: 'rerouted', data: {
            from: { serviceId: c.serviceId, wardId: c.wardId }, to: { serviceId, wardId }, routing: decision, note: clip(note), by: actor.id,
          } },
        };
      }),

    close: (caseId: CaseId, actorId: PersonId, note = '') =>
      change(caseId, actorId, 'close', (_c, _ctx, _a, now) => ({ patch: { closedAt: now }, event: { type: 'closed', data: { text: clip(note) } } })),

    async addWatcher(caseId: CaseId, personId: PersonId): Promise<boolean> {
      const now = clock.now();
      return store.transaction(async (repo) => {
        const c = await repo.getCase(caseId, { forUpdate: true });
        if (!c) throw new AppError('case.not_found', 'That case does not exist.');
        const added = await repo.addWatcher(caseId, personId);
        if (added) await repo.appendEvent(caseId, { type: 'watcher_added', actorId: personId, at: now, fromStatus: c.status, toStatus: c.status, data: {} });
        return added;
      });
    },

    get: (caseId: CaseId) => store.read((repo) => repo.getCase(caseId)),
    timeline: (caseId: CaseId) => store.read((repo) => repo.listEvents(caseId)),
  };
}

export type CaseService = ReturnType<typeof createCaseService>;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
