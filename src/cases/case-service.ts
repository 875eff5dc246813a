import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory, Person } from '../directory/person.js';
import type { IntakeModel } from '../intake/model/intake-model.js';
import type { StreetGazetteer } from '../intake/street-gazetteer.js';
import type { RoutingTable } from '../routing/routing-table.js';
import type { Clock } from '../shared/clock.js';
import type { CaseStatus, Platform } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';
import type { CaseId, PersonId, ServiceId, WardId } from '../shared/ids.js';
import { assertCan, isStaffOnCase, type CaseAction } from './authorisation.js';
import { createCaseRules } from './case-rules.js';
import { createCaseOpener, MAX_TEXT } from './open-cases.js';
import type { CaseEvent, CasePatch, CaseRecord, CaseRepo, CaseStore, ChatOrigin, NewCaseEvent, OutboundMessage } from './case-record.js';
import { assertTransition } from './lifecycle.js';
import type { SlaPolicy } from './sla.js';
import { extendForPause, type WorkingCalendar } from './working-time.js';

/** Everything a case decision reads: loaded per call from the store, never kept in one process. */
export interface CaseContext {
  index: CatalogueIndex;
  directory: Directory;
  table: RoutingTable;
  policies: SlaPolicy[];
  /** The council's street gazetteer, for reading messages. */
  streets?: StreetGazetteer;
  /** The intake model in use (the council's adopted one); the shipped one when not given. */
  intakeModel?: IntakeModel;
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
  /** The channel the message came from (null: a direct message), kept with the opening for the intake model's examples. */
  channelName?: string | null;
}

/** One committed change, as the notifier sees it; `origin` is set when cases were raised in chat. */
export interface CaseChange {
  caseRecord: CaseRecord;
  event: CaseEvent;
  context: CaseContext;
  origin?: ChatOrigin & { caseIds: CaseId[]; last: boolean };
}

/** Messages a change produces (case cards, notices), written to the outbox in the same transaction. */
export type CaseNotifier = (change: CaseChange, repo: CaseRepo) => Promise<OutboundMessage[]>;

/** Cases one person asks to open together (one chat turn). */
export interface OpenRequest {
  actorId: PersonId;
  drafts: CaseDraft[];
  origin?: ChatOrigin;
}

export interface CaseServiceDeps {
  store: CaseStore;
  clock: Clock;
  calendar: WorkingCalendar;
  loadContext: () => Promise<CaseContext>;
  notify?: CaseNotifier;
  /** Told of every committed change (metrics). */
  observe?: (change: { action: CaseAction | 'open'; caseRecord: CaseRecord }) => void;
}

export function createCaseService(deps: CaseServiceDeps) {
  const { store, clock } = deps;
  const rules = createCaseRules(deps.calendar);
  const { actorIn, route, routingPatch, duePatch } = rules;
  const opener = createCaseOpener(deps, rules);

  async function emit(repo: CaseRepo, change: CaseChange, at: Date): Promise<void> {
    if (!deps.notify) return;
    await repo.enqueue(await deps.notify(change, repo), change.caseRecord.id, at);
  }

  /** One change: lock the case, check the right and the transition, patch, write exactly one event. */
  async function change(
    caseId: CaseId, actorId: PersonId, action: CaseAction,
    build: (c: CaseRecord, ctx: CaseContext, actor: Person, now: Date) => { to?: CaseStatus; patch: CasePatch; event: Omit<NewCaseEvent, 'at' | 'actorId' | 'fromStatus' | 'toStatus'> },
    opts: { expectedStatus?: CaseStatus; recordCorrection?: boolean } = {},
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
      if (opts.recordCorrection && (updated.serviceId !== c.serviceId || updated.wardId !== c.wardId)) {
        // What intake got wrong, for `wardline intake corrections` to learn from.
        await repo.recordCorrection({
          caseId: c.id, text: c.description, originalWardId: c.wardId, originalServiceId: c.serviceId,
          correctedWardId: updated.wardId, correctedServiceId: updated.serviceId, byId: actor.id, at: now,
        });
      }
      await emit(repo, { caseRecord: updated, event, context: ctx }, now);
      return updated;
    });
    deps.observe?.({ action, caseRecord: updated });
    return updated;
  }

  return {
    /** Opens one case per draft in one transaction; raised in chat, the thread is linked to each. */
    async openCases(actorId: PersonId, drafts: CaseDraft[], origin?: ChatOrigin): Promise<CaseRecord[]> {
      const [opened] = await this.openMany([{ actorId, drafts, ...(origin ? { origin } : {}) }]);
      if (opened instanceof AppError) throw opened;
      return opened!;
    },

    /**
     * Opens the cases of several requests (a batch of chat turns) together: each request is checked
     * alone, and one that is refused opens nothing and comes back as its error (see `open-cases.ts`).
     */
    openMany: (requests: OpenRequest[]) => opener.openMany(requests),

    async openCase(actorId: PersonId, draft: CaseDraft, origin?: ChatOrigin): Promise<CaseRecord> {
      const [opened] = await this.openCases(actorId, [draft], origin);
      return opened!;
    },

    acknowledge: (caseId: CaseId, actorId: PersonId, opts?: { expectedStatus?: CaseStatus }) =>
      change(caseId, actorId, 'acknowledge', (_c, _ctx, _a, now) => ({
        patch: { acknowledgedAt: now }, event: { type: 'acknowledged', data: {} },
      }), opts),

    /**
     * An update on the case. A formal update from staff (the Update button) marks it in progress;
     * a reply in the conversation (`extra.via`, a chat thread) records the response and counts as
     * acknowledging, but leaves the status for the RM to move.
     */
    addUpdate: (caseId: CaseId, actorId: PersonId, text: string, extra: Record<string, unknown> = {}) =>
      change(caseId, actorId, 'addUpdate', (c, _ctx, actor, now) => {
        const staff = isStaffOnCase(actor, c);
        const waiting = c.status === 'new' || c.status === 'routed' || c.status === 'reopened';
        const to: CaseStatus = !staff ? c.status
          : extra.via ? (waiting && c.status !== 'new' ? 'acknowledged' : c.status)
            : (waiting || c.status === 'acknowledged') && c.status !== 'new' ? 'in_progress' : c.status;
        return {
          to,
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
        return { patch: { assigneeId: target.id }, event: { type: 'reassigned', data: { from: c.assigneeId, to: target.id, previousAssigneeId: c.assigneeId, note: clip(note) } } };
      }),

    reroute: (caseId: CaseId, actorId: PersonId, target: { serviceId?: ServiceId; wardId?: WardId }, note = '', opts: { expectedStatus?: CaseStatus; recordCorrection?: boolean } = {}) =>
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
            previousAssigneeId: c.assigneeId,
          } },
        };
      }, opts),

    close: (caseId: CaseId, actorId: PersonId, note = '', opts?: { expectedStatus?: CaseStatus }) =>
      change(caseId, actorId, 'close', (_c, _ctx, _a, now) => ({ patch: { closedAt: now }, event: { type: 'closed', data: { text: clip(note) } } }), opts),

    /** Makes someone a watcher (a councillor linking a duplicate); their chat thread follows the case. */
    async addWatcher(caseId: CaseId, personId: PersonId, origin?: ChatOrigin): Promise<boolean> {
      const ctx = await deps.loadContext();
      const now = clock.now();
      return store.transaction(async (repo) => {
        const c = await repo.getCase(caseId, { forUpdate: true });
        if (!c) throw new AppError('case.not_found', 'That case does not exist.');
        const added = await repo.addWatcher(caseId, personId);
        if (origin) await repo.insertLink({ ...origin, messageId: null, caseId, owner: 'councillor', personId: personId as PersonId }, now);
        if (added) {
          const event = await repo.appendEvent(caseId, { type: 'watcher_added', actorId: personId, at: now, fromStatus: c.status, toStatus: c.status, data: {} });
          await emit(repo, { caseRecord: c, event, context: ctx, ...(origin ? { origin: { ...origin, caseIds: [caseId], last: true } } : {}) }, now);
        }
        return added;
      });
    },

    get: (caseId: CaseId) => store.read((repo) => repo.getCase(caseId)),
    timeline: (caseId: CaseId) => store.read((repo) => repo.listEvents(caseId)),
  };
}

export type CaseService = ReturnType<typeof createCaseService>;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
