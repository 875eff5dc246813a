import type { App } from '@slack/bolt';
import { findPersonByChatId } from '../../db/directory-repo.js';
import { describeMyCases } from '../flows/commands.js';
import type { InboundEvent } from '../chat-port.js';
import type { SlackKit } from './slack-adapter.js';
import { escapeSlack, type SlackButtonValue } from './slack-blocks.js';
import { escalateModal, formModal, readModal, type FormMetadata } from './slack-modals.js';

/* Slack payloads are loosely typed at the edge; each listener picks the fields it needs. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ESCALATE_SHORTCUT = 'escalate_message';

function messageEvent(body: Loose, m: Loose, extra: { isDirect: boolean; mentionsBot: boolean; listening: boolean; channelName: string }): InboundEvent {
  return {
    kind: 'message', eventId: `${body.team_id}:${body.event_id}`,
    address: { platform: 'slack', channelId: m.channel, threadId: m.thread_ts ?? null }, messageId: m.ts,
    userExternalId: m.user, text: String(m.text ?? ''), ...extra,
    attachments: (m.files ?? []).map((f: Loose) => ({ name: String(f.name ?? 'file'), url: String(f.permalink ?? f.url_private ?? '') })),
  };
}

/** Every Slack intake surface: mentions, DMs, listening channels, buttons, forms, /escalate, the shortcut, App Home. */
export function registerSlackSurfaces(app: App, kit: SlackKit): void {
  app.event('app_mention', async ({ event, body }) => {
    const e = event as Loose;
    if (e.bot_id || e.subtype) return;
    const name = await kit.channelName(e.channel);
    await kit.handle(messageEvent(body as Loose, e, { isDirect: false, mentionsBot: true, listening: kit.listening(e.channel, name), channelName: name }),
      { channel: e.channel, user: e.user, threadTs: e.thread_ts ?? e.ts });
  });

  app.message(async ({ message, body, context }) => {
    const m = message as Loose;
    // Edits, joins, bots and wardline's own posts are not people writing.
    if (m.subtype || m.bot_id || !m.user || m.user === context.botUserId) return;
    const isDirect = m.channel_type === 'im';
    if (!isDirect && context.botUserId && String(m.text ?? '').includes(`<@${context.botUserId}>`)) return; // app_mention has it
    const name = isDirect ? '' : await kit.channelName(m.channel);
    const listening = !isDirect && kit.listening(m.channel, name);
    if (!isDirect && !listening && !m.thread_ts) return;
    await kit.handle(messageEvent(body as Loose, m, { isDirect, mentionsBot: false, listening, channelName: name }));
  });

  app.action(/^(case|clarify|duplicate)\./, async ({ ack, body, action }) => {
    await ack();
    const b = body as Loose;
    const a = action as Loose;
    const actionId = String(a.action_id).split('|')[0]!;
    if (!kit.isAction(actionId)) return;
    let value: SlackButtonValue;
    if (a.type === 'static_select') {
      value = { v: String(a.selected_option?.value ?? '') };
    } else {
      try {
        value = JSON.parse(String(a.value)) as SlackButtonValue;
      } catch {
        value = { v: String(a.value ?? '') };
      }
    }
    const label = String(a.text?.text ?? 'wardline');
    const channel = b.channel?.id ?? b.container?.channel_id;
    const meta: FormMetadata = { a: actionId, v: value.v, c: channel, m: b.message?.ts ?? b.container?.message_ts, t: b.message?.thread_ts ?? null };
    if (value.f) {
      await kit.client.views.open({ trigger_id: b.trigger_id, view: formModal(label, value.f, meta, await kit.lists()) as never });
      return;
    }
    await runAction(kit, b, meta, null);
  });

  app.view('wardline_form', async ({ ack, body, view }) => {
    const values = readModal((view.state as Loose).values);
    const meta = JSON.parse(view.private_metadata) as FormMetadata;
    if ('service' in values && !values.service && !values.ward) {
      await ack({ response_action: 'errors', errors: { service: 'Pick a service, a ward, or both.' } });
      return;
    }
    await ack();
    const input = 'text' in values ? values.text : 'person' in values ? values.person : JSON.stringify({ serviceId: values.service ?? undefined, wardId: values.ward ?? undefined });
    await runAction(kit, body as Loose, meta, input ?? '');
  });

  app.command('/escalate', async ({ ack, body }) => {
    await ack();
    const text = String(body.text ?? '').trim();
    if (!text) {
      await kit.client.views.open({ trigger_id: body.trigger_id, view: escalateModal({ text: '', wardId: null, serviceId: null }, await kit.lists()) as never });
      return;
    }
    await escalate(kit, body as Loose, body.user_id, text, null);
  });

  app.shortcut(ESCALATE_SHORTCUT, async ({ ack, body }) => {
    await ack();
    const b = body as Loose;
    const text = String(b.message?.text ?? '');
    const prefill = await kit.prefill(text, b.user.id);
    await kit.client.views.open({ trigger_id: b.trigger_id, view: escalateModal({ text, ...prefill }, await kit.lists()) as never });
  });

  app.view('wardline_escalate', async ({ ack, body, view }) => {
    const values = readModal((view.state as Loose).values);
    if (!values.text?.trim()) {
      await ack({ response_action: 'errors', errors: { text: 'Say what is wrong and where.' } });
      return;
    }
    await ack();
    await escalate(kit, body as Loose, body.user.id, values.text, { wardId: values.ward ?? null, serviceId: values.service ?? null });
  });

  app.event('app_home_opened', async ({ event }) => {
    const e = event as Loose;
    if (e.tab !== 'home') return;
    await kit.knowPerson(e.user);
    const ctx = await kit.loadContext();
    const personId = await findPersonByChatId(kit.db, 'slack', e.user);
    const person = personId ? ctx.directory.byId.get(personId) : undefined;
    const text = person ? await describeMyCases(kit, ctx, person)
      : 'wardline only knows people in the council\'s directory. Ask a wardline admin to add you.';
    await kit.client.views.publish({
      user_id: e.user,
      view: { type: 'home', blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'My cases' } },
        { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(text).slice(0, 3000) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Write to wardline here or mention @wardline; `help` lists the commands.' }] },
      ] } as never,
    });
  });
}

async function runAction(kit: SlackKit, b: Loose, meta: FormMetadata, input: string | null): Promise<void> {
  const team = b.team?.id ?? b.user?.team_id ?? 'T';
  await kit.handle({
    kind: 'action', eventId: `${team}:${b.trigger_id ?? `${b.view?.id}:${b.view?.hash}`}`,
    address: { platform: 'slack', channelId: meta.c, threadId: meta.t }, messageId: meta.m,
    userExternalId: b.user.id, actionId: meta.a as never, value: meta.v, input,
  }, { channel: meta.c, user: b.user.id, threadTs: meta.t });
}

/** /escalate and the shortcut: the escalation is posted in the person's DM and the case threads under it. */
async function escalate(kit: SlackKit, b: Loose, userId: string, text: string, hints: { wardId: string | null; serviceId: string | null } | null): Promise<void> {
  const dm = await kit.client.conversations.open({ users: userId });
  const channel = dm.channel!.id!;
  const root = await kit.client.chat.postMessage({ channel, text: `Escalation: ${escapeSlack(text)}`.slice(0, 3900), unfurl_links: false });
  const team = b.team?.id ?? b.team_id ?? b.user?.team_id ?? 'T';
  await kit.handle({
    kind: 'message', eventId: `${team}:${b.trigger_id ?? root.ts}`, address: { platform: 'slack', channelId: channel, threadId: null },
    messageId: root.ts!, channelName: '', isDirect: true, mentionsBot: true, listening: false, userExternalId: userId, text, attachments: [],
    escalation: true, ...(hints ? { hints } : {}),
  }, { channel, user: userId });
}
