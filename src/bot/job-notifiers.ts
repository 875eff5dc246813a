import { digestTrendAlt, digestTrendChart } from '../digests/digest-chart.js';
import type { CaseRepo, OutboundMessage } from '../cases/case-record.js';
import { formatLondonIso } from '../cases/sla.js';
import { renderDigestText } from '../digests/render-text.js';
import type { DigestNotifier } from '../jobs/digest-jobs.js';
import type { SlaNotifier } from '../jobs/sla-sweep.js';
import { resolveContacts } from '../routing/route-case.js';
import type { Platform } from '../shared/enums.js';
import { platformFor } from './case-notifier.js';
import type { NeutralMessage } from './messages.js';
import { outbound, personTarget, rmCardKey } from './outbound.js';

const WHAT: Record<string, string> = {
  remind_acknowledge: 'needs acknowledging', remind_respond: 'needs a response',
  breach_acknowledge: 'was not acknowledged in time', breach_respond: 'has had no response in time', escalate_senior: 'is still overdue',
};

/** Reminders to the RM, escalations to the service's manager then the ward's senior officer, and the councillor told. */
export function createSlaNotifier(opts: { platforms: Platform[]; zone: string }): SlaNotifier {
  return async ({ caseRecord: c, action, context: ctx }, repo: CaseRepo) => {
    const out: OutboundMessage[] = [];
    const key = `sla:${c.id}:${action.kind}:${action.dueAt.toISOString()}`;
    const due = formatLondonIso(action.dueAt, opts.zone).slice(0, 16).replace('T', ' ');
    const svc = c.serviceId ? ctx.index.service(c.serviceId)?.name ?? c.serviceId : 'Unplaced';
    const ward = c.wardId ? ctx.index.ward(c.wardId)?.name ?? c.wardId : 'unknown ward';
    const line = `${c.reference} (${svc}, ${ward}) ${WHAT[action.kind]}: due ${due}.`;
    const dm = (personId: string | null, text: string) => {
      const p = personId ? ctx.directory.byId.get(personId) : undefined;
      const platform = p && platformFor(p, c.sourcePlatform, opts.platforms);
      if (!p || !platform) return;
      const message: NeutralMessage = { type: 'notice', text };
      out.push(outbound(platform, personTarget(p.id), `${key}:${p.id}`, { op: 'post', to: { kind: 'person', personId: p.id }, render: { kind: 'message', message } }));
    };
    if (action.kind.startsWith('remind')) {
      const p = c.assigneeId ? ctx.directory.byId.get(c.assigneeId) : undefined;
      const platform = p && platformFor(p, c.sourcePlatform, opts.platforms);
      if (p && platform) {
        out.push(outbound(platform, personTarget(p.id), `${key}:${p.id}`, {
          op: 'post', to: { kind: 'thread_of', refKey: rmCardKey(c.id, p.id) }, render: { kind: 'message', message: { type: 'notice', text: `Reminder: ${line}` } },
        }));
      }
      return out;
    }
    const contacts = c.serviceId && c.wardId ? resolveContacts(ctx.index, ctx.directory, { serviceId: c.serviceId, wardId: c.wardId }) : null;
    const assignee = c.assigneeId ? ctx.directory.byId.get(c.assigneeId)?.name ?? 'someone' : 'triage';
    if (action.kind === 'escalate_senior') dm(contacts?.seniorOfficerId ?? null, `Escalated to you as the ward's senior officer: ${line} It is with ${assignee}.`);
    else dm(contacts?.escalationManagerId ?? null, `Escalated to you as the service's manager: ${line} It is with ${assignee}.`);
    dm(c.assigneeId, `Overdue: ${line} It has been escalated.`);
    const seen = new Set<string>();
    for (const l of (await repo.listLinks(c.id)).filter((x) => x.owner === 'councillor')) {
      const k = `${l.platform}|${l.channelId}|${l.threadId}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(outbound(l.platform, l.channelId, `${key}:thread:${k}`, {
        op: 'post', to: { kind: 'channel', channelId: l.channelId, threadId: l.threadId },
        render: { kind: 'message', message: { type: 'notice', text: `${c.reference} is overdue, so it has been escalated to the ${action.kind === 'escalate_senior' ? "ward's senior officer" : "service's manager"}.` } },
      }));
    }
    return out;
  };
}

/** One message per ward digest, in the recipient's direct messages. */
export function createDigestNotifier(opts: { platforms: Platform[] }): DigestNotifier {
  return ({ personId, scope, area, week, digests, context: ctx }) => {
    const p = ctx.directory.byId.get(personId);
    const platform = p && platformFor(p, null, opts.platforms);
    if (!p || !platform) return [];
    return digests.map((d) => outbound(platform, personTarget(p.id), `digest:${week}:${p.id}:${scope}:${area}:${d.ward.id}`, {
      op: 'post', to: { kind: 'person', personId: p.id },
      render: { kind: 'message', message: { type: 'notice', text: renderDigestText(d), image: { png: digestTrendChart(d).toString('base64'), alt: digestTrendAlt(d) } } },
    }));
  };
}
