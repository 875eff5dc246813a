import { insertMessage } from '../../src/db/workspace-repo.js';
import type { TestApp } from '../support/wardline-app.js';
import type { ChatHarness, Place, SeenMessage } from './chat-harness.js';

interface WsMessage {
  id: string;
  author: { id: string; name: string } | null;
  text: string;
  model: { type: string; buttons?: { label: string; actionId: string; value: string; form?: unknown }[]; case?: { statusLabel: string }; cases?: { statusLabel: string }[] } | null;
  replyCount: number;
}

/** The built-in workspace driven through its JSON API, as the page does. */
export async function workspaceHarness(app: TestApp): Promise<ChatHarness & { personId(email: string): string }> {
  const people = new Map<string, string>();
  for (const p of app.running.core.dbh ? (await app.running.core.loadContext()).directory.people : []) people.set(p.email, p.id);
  const personId = (email: string) => {
    const id = people.get(email);
    if (!id) throw new Error(`no demo person ${email}`);
    return id;
  };
  const channel = (who: string, where: Place) => ('dm' in where ? `dm-${personId(who)}` : where.channel);
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
    const data = await res.json() as Record<string, unknown>;
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(data)}`);
    return data;
  };
  const toSeen = (m: WsMessage): SeenMessage => ({
    ref: m.id, author: m.author?.name ?? null, text: m.text, replyCount: m.replyCount,
    buttons: (m.model?.buttons ?? []).map((b) => ({ label: b.label, actionId: b.actionId, value: b.value, form: !!b.form })),
    statuses: m.model?.case ? [m.model.case.statusLabel] : (m.model?.cases ?? []).map((c) => c.statusLabel),
  });

  return {
    name: 'built-in workspace',
    personId,
    async send(who, where, text, opts = {}) {
      const r = await call(`/api/workspace/channels/${channel(who, where)}/messages`, { as: personId(who), text, threadId: opts.thread ?? null });
      return { ref: String(r.messageId), ...(r.ephemeral ? { ephemeral: String(r.ephemeral) } : {}) };
    },
    async click(who, message, label, input) {
      const b = message.buttons.find((x) => x.label === label);
      if (!b) throw new Error(`no button "${label}" on: ${message.text} (has ${message.buttons.map((x) => x.label).join(', ')})`);
      const r = await call('/api/workspace/actions', { as: personId(who), messageId: message.ref, actionId: b.actionId, value: b.value, input: input ?? null });
      return r.ephemeral ? { ephemeral: String(r.ephemeral) } : {};
    },
    async seen(who, where, opts = {}) {
      const q = opts.thread ? `&thread=${opts.thread}` : '';
      const r = await call(`/api/workspace/channels/${channel(who, where)}/messages?as=${personId(who)}${q}`);
      return (r.messages as WsMessage[]).map(toSeen);
    },
    async strangerWrites(text) {
      // The workspace's persona picker only offers people in the directory, so a stranger
      // reaches the flows the way another adapter would deliver one: as an unknown user id.
      const messageId = await insertMessage(app.running.core.dbh.db, { channelId: 'general', threadId: null, authorId: null, text }, new Date());
      await app.running.chat.flows.handle({
        kind: 'message', eventId: `stranger-${messageId}`, address: { platform: 'local', channelId: 'general', threadId: null }, messageId,
        channelName: 'councillors-general', isDirect: false, mentionsBot: true, listening: true, userExternalId: 'stranger@example.org', text, attachments: [],
      });
      await app.settle();
      const r = await call(`/api/workspace/channels/general/messages?as=${personId('admin@birmingham.example')}&thread=${messageId}`);
      return (r.messages as WsMessage[]).map(toSeen).slice(1);
    },
    settle: () => app.settle(),
  };
}
