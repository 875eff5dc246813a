import { AppError } from '../shared/errors.js';
import type { CaseId, ServiceId } from '../shared/ids.js';
import type { Person } from '../directory/person.js';
import type { CaseStatus } from '../shared/enums.js';
import type { CasePatch, CaseRecord, CaseRepo, ChatOrigin, CaseToOpen, OpenedCase, OutboundMessage } from './case-record.js';
import type { CaseRules } from './case-rules.js';
import type { CaseChange, CaseContext, CaseDraft, CaseServiceDeps, OpenRequest } from './case-service.js';

/** The longest description a case keeps. */
export const MAX_TEXT = 40_000;

/**
 * Opening cases, one request or a batch of chat turns at a time: each request is checked alone,
 * and one that is refused opens nothing and comes back as its error; the others' cases, events,
 * threads and messages are written with one statement per table, in the requests' order.
 */
export function createCaseOpener(deps: Pick<CaseServiceDeps, 'store' | 'clock' | 'loadContext' | 'notify' | 'observe'>, rules: CaseRules) {
  const { store, clock } = deps;

  /** A checked draft as the rows that open it: routed and given its due times now. */
  function toOpen(ctx: CaseContext, actor: Person, draft: CaseDraft, origin: ChatOrigin | undefined, now: Date, due: (s: ServiceId | null, urgent: boolean) => CasePatch): CaseToOpen {
    if (draft.serviceId && !ctx.index.service(draft.serviceId)) throw new AppError('catalogue.unknown_service', `There is no service called "${draft.serviceId}".`);
    if (draft.wardId && !ctx.index.ward(draft.wardId)) throw new AppError('catalogue.unknown_ward', `There is no ward called "${draft.wardId}".`);
    if (draft.description.length > MAX_TEXT) throw new AppError('case.invalid_input', `The description is over ${MAX_TEXT} characters; shorten it or attach the rest as a link.`);
    const decision = rules.route(ctx, draft.serviceId, draft.wardId, now);
    const status: CaseStatus = decision.kind === 'routed' ? 'routed' : 'new';
    return {
      caseRow: {
        status, statusBeforeInfo: null, serviceId: draft.serviceId, wardId: draft.wardId,
        urgency: draft.urgent ? 'urgent' : 'normal', topic: draft.topic ?? null, location: draft.location ?? null,
        summary: draft.summary.slice(0, 300), description: draft.description, raisedById: actor.id,
        assigneeId: null, rmId: null, deputyId: null, routing: null, routingVersion: null,
        sourcePlatform: draft.sourcePlatform ?? origin?.platform ?? null, acknowledgeBy: null, respondBy: null, resolveBy: null, pausedAt: null,
        acknowledgedAt: null, respondedAt: null, resolvedAt: null, closedAt: null, escalationLevel: 0, duplicateOfId: null,
        ...rules.routingPatch(decision), ...due(draft.serviceId, draft.urgent),
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


  async function openMany(requests: OpenRequest[]): Promise<(CaseRecord[] | AppError)[]> {
    const ctx = await deps.loadContext();
    const now = clock.now();
    // Opened at the same moment, cases of one service and urgency are due at the same times.
    const dues = new Map<string, CasePatch>();
    const due = (serviceId: ServiceId | null, urgent: boolean) => {
      const k = `${serviceId ?? ''}|${urgent}`;
      if (!dues.has(k)) dues.set(k, rules.duePatch(ctx, serviceId, urgent, now));
      return dues.get(k)!;
    };
    const checked = requests.map((r) => {
      try {
        const actor = rules.actorIn(ctx, r.actorId);
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
  }

  return { openMany };
}
