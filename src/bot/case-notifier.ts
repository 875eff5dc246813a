import type { CaseRecord, CaseRepo, ConversationLink, OutboundMessage } from '../cases/case-record.js';
import type { CaseChange, CaseContext } from '../cases/case-service.js';
import { hasRole, type Person } from '../directory/person.js';
import { resolveContacts } from '../routing/route-case.js';
import type { Platform } from '../shared/enums.js';
import type { NeutralMessage } from './messages.js';
import { outbound, personTarget, rmCardKey, type Destination, type RenderSpec } from './outbound.js';

export interface NotifierOptions {
  /** Platforms wardline can post on, in order of preference. */
  platforms: Platform[];
  /** Tell the ward's WACs and senior officer about new cases. */
  wardNotices: boolean;
}

/** The platform to reach a person on: where the case came from if they are there, else the first they use. */
export function platformFor(person: Person, preferred: Platform | null, platforms: Platform[]): Platform | null {
  const on = (p: Platform) => platforms.includes(p) && (p === 'local' || (p === 'slack' ? !!person.slackUserId : !!person.teamsUserId));
  if (preferred && on(preferred)) return preferred;
  return platforms.find(on) ?? null;
}

/** How a person signs a mirrored message: "Dev Patel, Waste enforcement RM". */
export function authorLabel(person: Person | undefined, c: CaseRecord, ctx: CaseContext): string {
  if (!person) return 'Someone';
  const service = c.serviceId ? ctx.index.service(c.serviceId)?.name ?? c.serviceId : null;
  if (service && (person.id === c.rmId || person.id === c.assigneeId)) return `${person.name}, ${service} RM`;
  if (service && person.id === c.deputyId) return `${person.name}, ${service} deputy RM`;
  if (service && hasRole(person, 'manager') && c.serviceId && person.serviceIds.includes(c.serviceId)) return `${person.name}, ${service} manager`;
  return person.name;
}

const STATUS_EVENTS = new Set(['acknowledged', 'resolved', 'reopened', 'closed', 'rerouted', 'reassigned', 'info_requested', 'info_provided', 'update', 'escalated']);

/**
 * Turns a committed case change into outbox messages: the RM's card and the councillor's
 * confirmation (posted once, then edited in place), notices, and messages mirrored between threads.
 */
export function createCaseNotifier(opts: NotifierOptions) {
  return async function notify(change: CaseChange, repo: CaseRepo): Promise<OutboundMessage[]> {
    const { caseRecord: c, event, context: ctx } = change;
    const out: OutboundMessage[] = [];
    const person = (id: string | null) => (id ? ctx.directory.byId.get(id) : undefined);

    const toPerson = (p: Person | undefined, key: string, render: RenderSpec, link?: { owner: 'rm' | 'notice'; cardKey: string | null }) => {
      if (!p || !p.active) return;
      const platform = platformFor(p, c.sourcePlatform, opts.platforms);
      if (!platform) return;
      out.push(outbound(platform, personTarget(p.id), key, {
        op: 'post', to: { kind: 'person', personId: p.id }, render,
        ...(link ? { link: { caseIds: [c.id], owner: link.owner, personId: p.id, cardKey: link.cardKey } } : {}),
      }));
    };
    /**
     * The RM card lives in the DM with the person, or in the service's channel when the catalogue
     * names one on that platform; updates and replies follow it there.
     */
    const channels = (c.serviceId ? ctx.index.service(c.serviceId)?.cardChannels : undefined) ?? {};
    const rmCardPlatform = (p: Person | undefined) => (p ? platformFor(p, c.sourcePlatform, opts.platforms) ?? opts.platforms.find((x) => !!channels[x]) ?? null : null);
    const cardTarget = (p: Person, platform: string) => (channels[platform] ? channels[platform] : personTarget(p.id));
    const postRmCard = (p: Person | undefined) => {
      const platform = rmCardPlatform(p);
      if (!p || !p.active || !platform) return;
      const key = rmCardKey(c.id, p.id);
      const channelId = channels[platform];
      if (!channelId) return toPerson(p, key, { kind: 'rm_card', caseId: c.id, personId: p.id }, { owner: 'rm', cardKey: key });
      out.push(outbound(platform as Platform, channelId, key, {
        op: 'post', to: { kind: 'channel', channelId, threadId: null }, render: { kind: 'rm_card', caseId: c.id, personId: p.id },
        link: { caseIds: [c.id], owner: 'rm', personId: p.id, cardKey: key },
      }));
    };
    const updateRmCard = (personId: string | null) => {
      const p = person(personId);
      const platform = rmCardPlatform(p);
      if (!p || !platform) return;
      out.push(outbound(platform, cardTarget(p, platform), `upd:${event.id}:${rmCardKey(c.id, p.id)}`, {
        op: 'update', refKey: rmCardKey(c.id, p.id), render: { kind: 'rm_card', caseId: c.id, personId: p.id },
      }));
    };

    const links = await repo.listLinks(c.id);
    const councillorThreads = uniqueThreads(links.filter((l) => l.owner === 'councillor'));
    const via = (event.data.via ?? null) as { platform: string; channelId: string; threadId: string } | null;
    const isSource = (l: Pick<ConversationLink, 'platform' | 'channelId' | 'threadId'>) =>
      !!via && via.platform === l.platform && via.channelId === l.channelId && via.threadId === l.threadId;

    const toCouncillorThreads = (key: string, message: NeutralMessage) => {
      for (const l of councillorThreads) {
        if (isSource(l)) continue;
        const to: Destination = { kind: 'channel', channelId: l.channelId, threadId: l.threadId };
        out.push(outbound(l.platform, l.channelId, `${key}:${l.platform}:${l.channelId}:${l.threadId}`, { op: 'post', to, render: { kind: 'message', message } }));
      }
    };
    const toRmThread = (key: string, message: NeutralMessage) => {
      const p = person(c.assigneeId);
      const platform = rmCardPlatform(p);
      if (!p || !platform) return;
      const rmLink = links.find((l) => l.owner === 'rm' && l.personId === p.id);
      if (rmLink && isSource(rmLink)) return;
      out.push(outbound(platform, cardTarget(p, platform), `${key}:rm:${p.id}`, {
        op: 'post', to: { kind: 'thread_of', refKey: rmCardKey(c.id, p.id) }, render: { kind: 'message', message },
      }));
    };
    const mirror = (text: string): NeutralMessage => ({ type: 'mirror', author: authorLabel(person(event.actorId), c, ctx), text, caseRef: c.reference });
    const text = typeof event.data.text === 'string' ? event.data.text : '';

    switch (event.type) {
      case 'opened': {
        postRmCard(person(c.assigneeId));
        if (opts.wardNotices && c.serviceId && c.wardId) {
          const contacts = resolveContacts(ctx.index, ctx.directory, { serviceId: c.serviceId, wardId: c.wardId });
          const assignee = person(c.assigneeId)?.name ?? 'triage';
          const line = `New case ${c.reference}${c.urgency === 'urgent' ? ' (urgent)' : ''}: ${ctx.index.service(c.serviceId)?.name} in ${ctx.index.ward(c.wardId)?.name}, with ${assignee}.`;
          for (const id of new Set([...contacts.wacIds, ...(contacts.seniorOfficerId ? [contacts.seniorOfficerId] : [])])) {
            toPerson(person(id), `notice:opened:${c.id}:${id}`, { kind: 'message', message: { type: 'notice', text: line } });
          }
        }
        break;
      }
      case 'reassigned': case 'rerouted': {
        const previous = (event.data.previousAssigneeId as string | null | undefined) ?? null;
        if (previous && previous !== c.assigneeId) updateRmCard(previous);
        if (c.assigneeId && previous !== c.assigneeId) postRmCard(person(c.assigneeId));
        else updateRmCard(c.assigneeId);
        if (event.type === 'rerouted') {
          const where = `${c.serviceId ? ctx.index.service(c.serviceId)?.name : 'triage'} in ${c.wardId ? ctx.index.ward(c.wardId)?.name : 'an unknown ward'}`;
          toCouncillorThreads(`moved:${event.id}`, { type: 'notice', text: `${c.reference} has been moved to ${where}${person(c.assigneeId) ? `, with ${person(c.assigneeId)!.name}` : ''}.` });
        }
        break;
      }
      case 'update': case 'info_requested': case 'info_provided': case 'resolved': case 'reopened': {
        const said = event.type === 'info_requested' ? `asks: ${text}` : event.type === 'resolved' ? `marked it resolved${text ? `: ${text}` : '.'}`
          : event.type === 'reopened' ? `reopened it${text ? `: ${text}` : '.'}` : text;
        if (said) {
          const staffSpoke = event.data.byRole === 'staff' || event.type === 'info_requested' || event.type === 'resolved';
          if (staffSpoke) toCouncillorThreads(`mirror:${event.id}`, mirror(said));
          if (!staffSpoke || !via) toRmThread(`mirror:${event.id}`, mirror(said));
        }
        updateRmCard(c.assigneeId);
        break;
      }
      case 'acknowledged': case 'closed': case 'escalated':
        updateRmCard(c.assigneeId);
        break;
      default:
        break;
    }
    if (change.origin?.last) {
      const o = change.origin;
      out.push(outbound(o.platform, o.channelId, o.cardKey, {
        op: 'post', to: { kind: 'channel', channelId: o.channelId, threadId: o.threadId }, render: { kind: 'confirmation', cardKey: o.cardKey },
      }));
    } else if ((STATUS_EVENTS.has(event.type) && event.fromStatus !== event.toStatus) || event.type === 'reassigned' || event.type === 'rerouted') {
      for (const cardKey of new Set(links.filter((l) => l.owner === 'councillor' && l.cardKey).map((l) => l.cardKey!))) {
        const l = links.find((x) => x.cardKey === cardKey)!;
        out.push(outbound(l.platform, l.channelId, `upd:${event.id}:${cardKey}`, { op: 'update', refKey: cardKey, render: { kind: 'confirmation', cardKey } }));
      }
    }
    return out;
  };
}

function uniqueThreads(links: ConversationLink[]): ConversationLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const k = `${l.platform}|${l.channelId}|${l.threadId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
