import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory, Person } from '../directory/person.js';
import type { IntakeModel } from '../intake/model/intake-model.js';
import type { StreetGazetteer } from '../intake/street-gazetteer.js';
import { routeCase } from '../routing/route-case.js';
import type { RouteDecision, RoutingTable } from '../routing/routing-table.js';
import type { Clock } from '../shared/clock.js';
import type { CaseStatus, Platform } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';
import type { CaseId, PersonId, ServiceId, WardId } from '../shared/ids.js';
import { assertCan, isStaffOnCase, type CaseAction } from './authorisation.js';
import type { CaseEvent, CasePatch, CaseRecord, CaseRepo, CaseStore, CaseToOpen, ChatOrigin, NewCaseEvent, OpenedCase, OutboundMessage } from './case-record.js';
import { assertTransition } from './lifecycle.js';
import { computeDueTimes, type SlaPolicy } from './sla.js';
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

  /** A checked draft as the rows that open it: routed and given its due times now. */
  function toOpen(ctx: CaseContext, actor: Person, draft: CaseDraft, origin: ChatOrigin | undefined, now: Date, due: (s: ServiceId | null, urgent: boolean) => CasePatch): CaseToOpen {
    if (draft.serviceId && !ctx.index.service(draft.serviceId)) throw new AppError('catalogue.unknown_service', `There is no service called "${draft.serviceId}".`);
    if (draft.wardId && !ctx.index.ward(draft.wardId)) throw new AppError('catalogue.unknown_ward', `There is no ward called "${draft.wardId}".`);
    if (draft.description.length > MAX_TEXT) throw new AppError('case.invalid_input', `The description is over ${MAX_TEXT} characters; shorten it or attach the rest as a link.`);
    const decision = route(ctx, draft.serviceId, draft.wardId, now);
    const status: CaseStatus = decision.kind === 'routed' ? 'routed' : 'new';
    return {
      caseRow: {
        status, statusBeforeInfo: null, serviceId: draft.serviceId, wardId: draft.wardId,
        urgency: draft.urgent ? 'urgent' : 'normal', topic: draft.topic ?? null, location: draft.location ?? null,
        summary: draft.summary.slice(0, 300), description: draft.description, raisedById: actor.id,
        assigneeId: null, rmId: null, deputyId: null, routing: null, routingVersion: null,
        sourcePlatform: draft.sourcePlatform ?? origin?.platform ?? null, acknowledgeBy: null, respondBy: null, resolveBy: null, pausedAt: null,
        acknowledgedAt: null, respondedAt: null, resolvedAt: null, closedAt: null, escalationLevel: 0, duplicateOfId: null,
        ...routingPatch(decision), ...due(draft.serviceId, draft.urgent),
        createdAt: now, updatedAt: now,
      },
      event: { type: 'opened', actorId: actor.id, at: now, fromStatus: null, toStatus: status, data: { routing: decision, urgent: draft.urgent, ...(draft.channelName !== undefined ? { channel: draft.channelName } : {}) } },
      link: origin ? { ...origin, messageId: null, owner: 'councillor', personId: actor.id } : null,
    };
  }

  /** The messages about cases just opened, per request, written in one go. */
  async function notifyOpened(repo: CaseRepo, requests: { group: OpenedCase[]; origin: ChatOrigin | undefined }[], ctx: CaseContext, at: Date): Promise<void> {
    if (!deps.notify) return;
    // A new case's only thread is the one just linked: the notifier reads it from here.
    const known = new Map(requests.flatMap((r) => r.group).map((o) => [o.record.id as string, o.links]));
    const view: CaseRepo = Object.assign(Object.create(repo) as CaseRepo, {
      listLinks: (id: CaseId) => (known.has(id) ? Promise.resolve(known.get(id)!) : repo.listLinks(id)),
    });
    const messages: { messages: OutboundMessage[]; caseId: CaseId }[] = [];
    for (const { group, origin } of requests) {
      const caseIds = group.map((o) => o.record.id);
      for (const [j, { record, event }] of group.entries()) {
        const change: CaseChange = { caseRecord: record, event, context: ctx, ...(origin ? { origin: { ...origin, caseIds, last: j === group.length - 1 } } : {}) };
        messages.push({ messages: await deps.notify(change, view), caseId: record.id });
      }
    }
    await repo.enqueueMany(messages, at);
  }

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
     * alone, and one that is refused opens nothing and comes back as its error; the others' cases,
     * events, threads and messages are written with one statement per table, in the requests' order.
     */
    async openMany(requests: OpenRequest[]): Promise<(CaseRecord[] | AppError)[]> {
      const ctx = await deps.loadContext();
      const now = clock.now();
      // Opened at the same moment, cases of one service and urgency are due at the same times.
      const dues = new Map<string, CasePatch>();
      const due = (serviceId: ServiceId | null, urgent: boolean) => {
        const k = `${serviceId ?? ''}|${urgent}`;
        if (!dues.has(k)) dues.set(k, duePatch(ctx, serviceId, urgent, now));
        return dues.get(k)!;
      };
      const checked = requests.map((r) => {
        try {
          const actor = actorIn(ctx, r.actorId);
          return { r, items: r.drafts.map((d) => toOpen(ctx, actor, d, r.origin, now, due)) };
        } catch (e) {
          if (e instanceof AppError) return e;
          throw e;
        }
      });
      const good = checked.filter((c): c is Exclude<typeof c, AppError> => !(c instanceof AppError));
      const opened = good.length ? await store.transaction(async (repo) => {
        const all = await repo.insertCases(good.flatMap((g) => g.items), now);
        let k = 0;
        const byRequest = good.map((g) => all.slice(k, (k += g.items.length)));
        await notifyOpened(repo, byRequest.map((group, i) => ({ group, origin: good[i]!.r.origin })), ctx, now);
        return byRequest.map((group) => group.map((o) => o.record));
      }) : [];
      for (const caseRecord of opened.flat()) deps.observe?.({ action: 'open', caseRecord });
      let g = 0;
      return checked.map((c) => (c instanceof AppError ? c : opened[g++]!));
    },

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
