import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { linkChatIdentity } from '../../src/db/directory-repo.js';
import type { ConnectorActivity, FakeBotConnector } from '../fakes/fake-bot-connector.js';
import type { TestApp } from '../support/wardline-app.js';
import type { ChatHarness, Place, SeenMessage } from './chat-harness.js';

type El = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export const TEAMS_TENANT = '72f988bf-0000-4000-8000-00000000tenant';

/** A stable AAD object id for a directory email. */
export const aadFor = (email: string) => {
  const h = createHash('sha1').update(email).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Posts an activity to wardline's /api/messages as the Bot Connector would (unauthenticated mode). */
export async function postActivity(baseUrl: string, activity: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: Record<string, unknown> | null = null;
  try { body = text ? JSON.parse(text) as Record<string, unknown> : null; } catch { body = { text }; }
  return { status: res.status, body };
}

/**
 * Teams driven as its people would: each message and button press is an activity POSTed to
 * wardline's /api/messages; what people see is read back from the fake Bot Connector.
 */
export async function teamsHarness(app: TestApp, connector: FakeBotConnector, opts: { linkAll?: boolean } = {}): Promise<ChatHarness & { ids: Map<string, string> }> {
  const ctx = await app.running.core.loadContext();
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  for (const p of ctx.directory.people) {
    // linkAll: false keeps the directory as it is, so only people with a Teams id are on Teams.
    if (!p.teamsUserId && opts.linkAll === false) continue;
    const aad = p.teamsUserId ?? aadFor(p.email);
    if (!p.teamsUserId) await linkChatIdentity(app.running.core.dbh.db, 'teams', aad, p.id);
    ids.set(p.email, aad);
    names.set(`29:${aad}`, p.name);
    connector.members.set(`29:${aad}`, { email: p.email, aadObjectId: aad, name: p.name });
  }
  app.running.core.invalidateContext();
  const aadOf = (email: string) => {
    const id = ids.get(email);
    if (!id) throw new Error(`no demo person ${email}`);
    return id;
  };
  const chatOf = (who: string, where: Place) => ('dm' in where ? `a:${aadOf(who)}` : where.channel);
  const snapshot = new WeakMap<SeenMessage, ConnectorActivity>();
  const base = (who: string, conversation: string) => ({
    serviceUrl: connector.url, channelId: 'msteams', timestamp: new Date().toISOString(), locale: 'en-GB',
    from: { id: `29:${aadOf(who)}`, aadObjectId: aadOf(who), name: names.get(`29:${aadOf(who)}`) },
    recipient: { id: '28:wardline', name: 'wardline' },
    conversation: { id: conversation, conversationType: conversation.startsWith('a:') ? 'personal' : 'channel', tenantId: TEAMS_TENANT },
    channelData: { tenant: { id: TEAMS_TENANT } },
  });

  const card = (a: ConnectorActivity) => a.attachments.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content as El | undefined;
  const toSeen = (a: ConnectorActivity): SeenMessage => {
    const c = card(a);
    const blocks = (c?.body ?? []) as El[];
    const seen: SeenMessage = {
      ref: a.id, author: a.from ? names.get(a.from.id) ?? a.from.id : null,
      // What people read: the invisible spaces that keep their words from being markdown do not show.
      text: c ? String(blocks.find((b) => b.id === 'wl_text')?.text ?? '').replace(/\u200B/g, '') : a.text,
      statuses: blocks.filter((b) => String(b.id ?? '').startsWith('wl_status_')).map((b) => String(b.text).replace(/^WL-\d+: /, '')),
      replyCount: connector.activities.filter((x) => x.conversation === a.conversation && x.replyToId === a.id).length,
      buttons: [
        ...((c?.actions ?? []) as El[]).map((x) => {
          const exec = x.type === 'Action.ShowCard' ? x.card.actions[0] : x;
          return { label: String(x.title), actionId: String(exec.data.wl), value: String(exec.data.v), form: x.type === 'Action.ShowCard' };
        }).filter((b) => !(b.label === 'Choose' && blocks.some((x) => x.id === 'choice'))),
        ...blocks.filter((b) => b.id === 'choice').flatMap((b) => (b.choices as El[]).map((ch) => ({ label: String(ch.title), actionId: String(c!.actions[0].data.wl), value: String(ch.value), form: false }))),
      ],
    };
    snapshot.set(seen, structuredClone(a));
    return seen;
  };

  return {
    name: 'Teams',
    ids,
    async send(who, where, text, opts = {}) {
      const conversation = chatOf(who, where);
      const stored = connector.add({ conversation, replyToId: opts.thread ?? null, from: { id: `29:${aadOf(who)}`, name: names.get(`29:${aadOf(who)}`) ?? '' }, text, attachments: [] });
      const r = await postActivity(app.url, { ...base(who, conversation), type: 'message', id: stored.id, text, textFormat: 'plain', ...(opts.thread ? { replyToId: opts.thread } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return { ref: stored.id };
    },
    async click(who, message, label, input) {
      const a = snapshot.get(message);
      if (!a) throw new Error(`message ${message.ref} was not read through this harness`);
      const c = card(a)!;
      const button = message.buttons.find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" on: ${message.text} (has ${message.buttons.map((b) => b.label).join(', ')})`);
      const action = ((c.actions ?? []) as El[]).find((x) => x.title === label);
      let data: El;
      if (!action) data = { ...c.actions[0].data, choice: button.value }; // a menu's option
      else if (action.type === 'Action.ShowCard') {
        const inputs = action.card.body as El[];
        const exec = action.card.actions[0];
        data = { ...exec.data };
        for (const i of inputs) {
          if (i.id === 'text' || i.id === 'person') data[i.id] = input ?? '';
          else {
            const picked = JSON.parse(input ?? '{}') as { serviceId?: string; wardId?: string };
            data[i.id] = (i.id === 'service' ? picked.serviceId : picked.wardId) ?? '';
          }
        }
      } else data = { ...action.data };
      const r = await postActivity(app.url, {
        ...base(who, a.conversation), type: 'invoke', name: 'adaptiveCard/action', id: randomUUID(), replyToId: a.id,
        value: { action: { type: 'Action.Execute', verb: data.wl, data }, trigger: 'manual' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const value = (r.body as El | null)?.value;
      return typeof value === 'string' ? { ephemeral: value } : {};
    },
    async seen(who, where, opts = {}) {
      const conversation = chatOf(who, where);
      const inChat = connector.activities.filter((a) => a.conversation === conversation);
      const list = opts.thread ? inChat.filter((a) => a.id === opts.thread || a.replyToId === opts.thread) : inChat.filter((a) => !a.replyToId);
      return list.map(toSeen);
    },
    async strangerWrites(text) {
      const aad = '00000000-0000-4000-8000-0000000000ff';
      const conversation = `a:${aad}`;
      const stored = connector.add({ conversation, replyToId: null, from: { id: `29:${aad}`, name: 'Stranger' }, text, attachments: [] });
      await postActivity(app.url, {
        serviceUrl: connector.url, channelId: 'msteams', type: 'message', id: stored.id, text, from: { id: `29:${aad}`, aadObjectId: aad, name: 'Stranger' },
        recipient: { id: '28:wardline' }, conversation: { id: conversation, conversationType: 'personal', tenantId: TEAMS_TENANT },
      });
      await app.settle();
      return connector.activities.filter((a) => a.conversation === conversation && a.from === null).map(toSeen);
    },
    settle: () => app.settle(),
  };
}
