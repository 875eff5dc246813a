import { canView, caseScopeOf, mayDescribe } from '../../cases/authorisation.js';
import type { CaseEvent, CaseRecord } from '../../cases/case-record.js';
import { parseReference } from '../../cases/reference.js';
import { formatLondonIso } from '../../cases/sla.js';
import { caseRepoOn } from '../../db/case-store.js';
import { subscribe, unsubscribe } from '../../db/subscriptions-repo.js';
import { matchDigestArea, matchService, matchWard } from '../../intake/match-names.js';
import { routeCase } from '../../routing/route-case.js';
import { hasRole } from '../../directory/person.js';
import { notice, STATUS_LABELS } from '../messages.js';
import type { FlowDeps, Turn } from './flow-kit.js';
import type { CaseContext } from '../../cases/case-service.js';
import type { Person } from '../../directory/person.js';

export type Command =
  | { name: 'help' }
  | { name: 'my_cases' }
  | { name: 'case'; reference: string }
  | { name: 'who_covers'; service: string; ward: string }
  | { name: 'subscribe' | 'unsubscribe'; area: string };

/** Commands, said in a DM or to the bot by mention; anything else is not a command. */
export function parseCommand(text: string): Command | null {
  const t = text.replace(/^\s*@?wardline\b[:,]?\s*/i, '').replace(/^\/wardline\s+/i, '').trim();
  if (/^(help|\?|what can you do\??)$/i.test(t)) return { name: 'help' };
  if (/^my cases\??$/i.test(t)) return { name: 'my_cases' };
  let m = /^case\s+(WL-?\s?\d{1,9})\s*$/i.exec(t);
  if (m) return { name: 'case', reference: m[1]! };
  m = /^who covers\s+(.+?)\s+in\s+(.+?)\??$/i.exec(t);
  if (m) return { name: 'who_covers', service: m[1]!, ward: m[2]! };
  m = /^(subscribe|unsubscribe)(?:\s+(?:from|to))?\s+(?:the\s+)?(?:weekly\s+)?digests?\s+(?:for\s+)?(.+)$/i.exec(t);
  if (m) return { name: m[1]!.toLowerCase() as 'subscribe' | 'unsubscribe', area: m[2]!.trim() };
  return null;
}

const HELP = [
  'Tell me about a problem in your ward and I will log it with the right officer, for example: "fly-tipping again on Slade Road, Erdington".',
  'Replies in a case\'s thread go to the officer, and theirs come back to you.',
  'Commands:',
  '• `my cases`: your open cases',
  '• `case WL-000123`: a case\'s status and timeline',
  '• `who covers <service> in <ward>`: the officer for a service in a ward',
  '• `subscribe digest <ward|cluster|district|service>` and `unsubscribe digest …`: the weekly ward digest',
].join('\n');

function caseLine(ctx: CaseContext, zone: string, c: CaseRecord): string {
  const svc = c.serviceId ? ctx.index.service(c.serviceId)?.name : 'service not known';
  const ward = c.wardId ? ctx.index.ward(c.wardId)?.name : 'ward not known';
  const due = c.respondBy ? `, response due ${formatLondonIso(c.respondBy, zone).slice(0, 16).replace('T', ' ')}` : '';
  return `• ${c.reference} · ${svc} · ${ward} · ${STATUS_LABELS[c.status]}${due}`;
}

const OPEN = ['new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'reopened'] as const;

/**
 * A person's open cases: assigned to them (RM view), raised or followed by them (councillor view),
 * and for WACs, senior officers, managers and admins the others they oversee, by the same rights
 * function as the web's case list (`caseScopeOf`).
 */
export async function describeMyCases(deps: Pick<FlowDeps, 'db' | 'zone'>, ctx: CaseContext, person: Person): Promise<string> {
  const repo = caseRepoOn(deps.db);
  const assigned = await repo.listCases({ assigneeId: person.id, statuses: [...OPEN], limit: 20 });
  const mine = await repo.listCases({ raisedOrWatchedBy: person.id, statuses: [...OPEN], limit: 20 });
  const parts: string[] = [];
  if (assigned.length) parts.push(`Assigned to you:\n${assigned.map((c) => caseLine(ctx, deps.zone, c)).join('\n')}`);
  if (mine.length) parts.push(`Raised or followed by you:\n${mine.map((c) => caseLine(ctx, deps.zone, c)).join('\n')}`);
  const overseer = ['wac', 'senior_officer', 'manager', 'admin'].some((r) => hasRole(person, r as never));
  if (overseer) {
    const shown = new Set([...assigned, ...mine].map((c) => c.id));
    const others = (await repo.listCases({ scope: caseScopeOf(person), statuses: [...OPEN], limit: 40 })).filter((c) => !shown.has(c.id)).slice(0, 20);
    const heading = hasRole(person, 'admin') ? 'Open cases across the city' : 'Open cases in your wards and services';
    if (others.length) parts.push(`${heading} (newest first):\n${others.map((c) => caseLine(ctx, deps.zone, c)).join('\n')}`);
  }
  return parts.length ? parts.join('\n\n') : 'You have no open cases.';
}

export function createCommands(deps: FlowDeps) {
  const zone = () => deps.zone;
  const line = (turn: Turn, c: CaseRecord) => caseLine(turn.ctx, deps.zone, c);
  const eventLine = (turn: Turn, e: CaseEvent) => {
    const who = e.actorId ? turn.ctx.directory.byId.get(e.actorId)?.name ?? 'someone' : 'wardline';
    const when = formatLondonIso(e.at, zone()).slice(0, 16).replace('T', ' ');
    return `• ${when} ${e.type.replace('_', ' ')} by ${who}${e.toStatus && e.toStatus !== e.fromStatus ? ` → ${STATUS_LABELS[e.toStatus]}` : ''}`;
  };

  return {
    async run(turn: Turn, cmd: Command): Promise<void> {
      const { person, ctx } = turn;
      const reply = (text: string) => turn.reply(notice(text), { flat: true });
      const repo = caseRepoOn(deps.db);
      switch (cmd.name) {
        case 'help': return reply(HELP);
        case 'my_cases': return reply(await describeMyCases(deps, turn.ctx, person));
        case 'case': {
          const seq = parseReference(cmd.reference);
          const c = seq ? await repo.getCaseByReference(seq) : null;
          const restricted = !!c?.serviceId && !!ctx.index.service(c.serviceId)?.restricted;
          if (!c || !canView(person, c, { restricted })) return reply(`I cannot find ${cmd.reference.toUpperCase()} among the cases you can see.`);
          const events = await repo.listEvents(c.id);
          const summary = mayDescribe(person, c, restricted) ? c.summary : 'Restricted service: details are shown only to the people working on it.';
          return reply(`${line(turn, c)}\n${summary}\nTimeline:\n${events.slice(-12).map((e) => eventLine(turn, e)).join('\n')}`);
        }
        case 'who_covers': {
          const serviceId = matchService(cmd.service, ctx.index.catalogue);
          const wardId = matchWard(cmd.ward, ctx.index.catalogue);
          if (!serviceId || !wardId) return reply(`I do not know the ${!serviceId ? `service "${cmd.service}"` : `ward "${cmd.ward}"`}. Try its full name.`);
          const d = routeCase(ctx.table, ctx.index, ctx.directory, { serviceId, wardId, onDate: formatLondonIso(deps.clock.now(), zone()).slice(0, 10) });
          const svc = ctx.index.service(serviceId)!.name;
          const ward = ctx.index.ward(wardId)!.name;
          if (d.kind !== 'routed') return reply(`No one is named for ${svc} in ${ward} yet; cases go to triage. (${d.reason})`);
          const rm = ctx.directory.byId.get(d.rmId);
          const deputy = d.deputyId ? ctx.directory.byId.get(d.deputyId) : null;
          const covering = d.assigneeId !== d.rmId ? ` (away; ${ctx.directory.byId.get(d.assigneeId)?.name} is covering)` : '';
          return reply(`${svc} in ${ward}: ${rm?.name ?? 'unknown'} <${rm?.email ?? '?'}>${covering}${deputy ? `; deputy ${deputy.name}` : ''}. (Rule: ${d.scope}${d.area ? ` ${d.area}` : ''}.)`);
        }
        case 'subscribe': case 'unsubscribe': {
          const area = matchDigestArea(cmd.area, ctx.index.catalogue);
          if (!area) return reply(`I do not know "${cmd.area}". Name a ward, a ward cluster, a district or a service.`);
          if (cmd.name === 'subscribe' && area.scope !== 'ward' && !['wac', 'manager', 'senior_officer', 'admin'].some((r) => hasRole(person, r as never))) {
            return reply('Councillors can subscribe to the digest of a ward; wider digests are for officers and managers.');
          }
          const s = { personId: person.id, scope: area.scope, area: area.area };
          if (cmd.name === 'subscribe') {
            const added = await subscribe(deps.db, s, deps.clock.now());
            return reply(added ? `Subscribed: the weekly digest for ${area.name} comes on Monday mornings.` : `You already get the digest for ${area.name}.`);
          }
          const removed = await unsubscribe(deps.db, s);
          return reply(removed ? `Unsubscribed from the digest for ${area.name}.` : `You were not subscribed to the digest for ${area.name}.`);
        }
      }
    },
  };
}
