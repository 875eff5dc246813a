import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { linkChatIdentity } from '../../src/db/directory-repo.js';
import type { FakeSlackApi, FakeSlackMessage } from '../fakes/fake-slack-api.js';
import { eventCallback, interactivityForm, postToSlackEndpoint, SLACK_TEAM, triggerId } from '../support/slack-requests.js';
import type { TestApp } from '../support/wardline-app.js';
import type { ChatHarness, Place, SeenMessage } from './chat-harness.js';

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A stable Slack user id for a directory email. */
export const slackIdFor = (email: string) => `U${createHash('sha1').update(email).digest('hex').slice(0, 9).toUpperCase()}`;

/**
 * Slack driven as its people would: every message and click is a signed request to wardline's
 * /slack/events, and what people see is read back from the fake Web API's message store.
 */
export async function slackHarness(app: TestApp, api: FakeSlackApi, opts: { linkAll?: boolean } = {}): Promise<ChatHarness & { ids: Map<string, string> }> {
  const ctx = await app.running.core.loadContext();
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  for (const p of ctx.directory.people) {
    // linkAll: false keeps the directory as it is, so only people with a Slack id are on Slack.
    if (!p.slackUserId && opts.linkAll === false) continue;
    const id = p.slackUserId ?? slackIdFor(p.email);
    if (!p.slackUserId) await linkChatIdentity(app.running.core.dbh.db, 'slack', id, p.id);
    ids.set(p.email, id);
    names.set(id, p.name);
    api.users.set(id, p.email);
  }
  app.running.core.invalidateContext();
  const uid = (email: string) => {
    const id = ids.get(email);
    if (!id) throw new Error(`no demo person ${email}`);
    return id;
  };
  const channelOf = (who: string, where: Place) => ('dm' in where ? `D${uid(who)}` : where.channel);
  const slack = app.running.chat.slack!;
  const claimed = new Set<number>();
  /** What each person saw: a click presses the buttons as they were then, even if the message changed since. */
  const snapshot = new WeakMap<SeenMessage, { m: FakeSlackMessage; blocks: Block[] }>();

  const post = async (body: string, contentType: string) => {
    const r = await postToSlackEndpoint(app.url, body, { contentType });
    expect(r.status, r.body).toBe(200);
    await slack.idle();
    return r;
  };
  /** The first ephemeral reply to `user` since `from` that no other click has taken. */
  const ephemeralFor = (user: string, from: number) => {
    const i = api.ephemerals.findIndex((e, n) => n >= from && e.user === user && !claimed.has(n));
    if (i < 0) return undefined;
    claimed.add(i);
    return api.ephemerals[i]!.text;
  };

  const toSeen = (m: FakeSlackMessage): SeenMessage => {
    const blocks = m.blocks as Block[];
    const status = blocks.find((b) => b.block_id === 'wl_status');
    const statusText = String(status?.elements?.[0]?.text ?? '');
    const seen: SeenMessage = {
      ref: m.ts, author: m.user ? names.get(m.user) ?? m.user : null, text: m.text,
      replyCount: api.messages.filter((x) => x.channel === m.channel && x.threadTs === m.ts).length,
      statuses: [...statusText.matchAll(/\*([^*]+)\*/g)].map((x) => x[1]!.replace(/&amp;/g, '&')),
      // Buttons, and the options of a menu (one question with many answers), as things to press.
      buttons: blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements as Block[]).flatMap((e) => {
        if (e.type === 'static_select') return (e.options as Block[]).map((o) => ({ label: String(o.text.text), actionId: String(e.action_id), value: String(o.value), form: false }));
        const value = JSON.parse(String(e.value)) as { v: string; f?: unknown };
        return [{ label: String(e.text.text), actionId: String(e.action_id), value: value.v, form: !!value.f }];
      })),
    };
    snapshot.set(seen, { m, blocks: structuredClone(blocks) });
    return seen;
  };
  const rawButton = (message: SeenMessage, label: string) => {
    const seen = snapshot.get(message);
    if (!seen) throw new Error(`message ${message.ref} was not read through this harness`);
    const { m, blocks } = seen;
    for (const b of blocks) {
      for (const e of b.type === 'actions' ? b.elements as Block[] : []) {
        if (e.type === 'button' && e.text.text === label) return { m, block: b, element: e, action: { type: 'button', text: e.text, value: e.value } };
        const option = e.type === 'static_select' ? (e.options as Block[]).find((o) => o.text.text === label) : undefined;
        if (option) return { m, block: b, element: e, action: { type: 'static_select', selected_option: option, placeholder: e.placeholder } };
      }
    }
    throw new Error(`no button "${label}" on: ${message.text} (has ${message.buttons.map((x) => x.label).join(', ')})`);
  };

  async function submitForm(user: string, trigger: string, input: string): Promise<void> {
    const opened = api.views.find((v) => v.triggerId === trigger);
    if (!opened) throw new Error('the button opened no modal');
    const view = opened.view as Block;
    const values: Record<string, Record<string, unknown>> = {};
    for (const b of view.blocks as Block[]) {
      const choose = (value: string | null | undefined) => ({ value: { type: 'static_select', selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null } });
      if (b.element.type === 'plain_text_input') values[b.block_id] = { value: { type: 'plain_text_input', value: input } };
      else if (b.block_id === 'person') values.person = choose(input);
      else {
        const picked = JSON.parse(input) as { serviceId?: string; wardId?: string };
        values[b.block_id] = choose(b.block_id === 'service' ? picked.serviceId : picked.wardId);
      }
    }
    await post(interactivityForm({
      type: 'view_submission', team: { id: SLACK_TEAM, domain: 'birmingham' }, user: { id: user, team_id: SLACK_TEAM }, api_app_id: 'A0WARDLINE',
      trigger_id: triggerId(), view: { ...view, id: `V${trigger.slice(-6)}`, team_id: SLACK_TEAM, hash: `${Date.now()}.abc`, state: { values } },
    }), 'application/x-www-form-urlencoded');
  }

  return {
    name: 'Slack',
    ids,
    async send(who, where, text, opts = {}) {
      const user = uid(who);
      const channel = channelOf(who, where);
      const m = api.addUserMessage(channel, user, text, opts.thread ?? null);
      const from = api.ephemerals.length;
      const isDm = 'dm' in where;
      await post(JSON.stringify(eventCallback({
        type: 'message', channel, user, text, ts: m.ts, event_ts: m.ts, team: SLACK_TEAM, channel_type: isDm ? 'im' : 'channel',
        ...(opts.thread ? { thread_ts: opts.thread } : {}),
        blocks: [{ type: 'rich_text', block_id: 'b1', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
      })), 'application/json');
      const ephemeral = ephemeralFor(user, from);
      return { ref: m.ts, ...(ephemeral ? { ephemeral } : {}) };
    },
    async click(who, message, label, input) {
      const user = uid(who);
      const { m, block, element, action } = rawButton(message, label);
      const from = api.ephemerals.length;
      const trigger = triggerId();
      await post(interactivityForm({
        type: 'block_actions', user: { id: user, username: user.toLowerCase(), team_id: SLACK_TEAM }, api_app_id: 'A0WARDLINE', token: 'deprecated',
        container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: false }, trigger_id: trigger,
        team: { id: SLACK_TEAM, domain: 'birmingham' }, channel: { id: m.channel, name: 'directmessage' },
        message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: message.text, ts: m.ts, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), blocks: snapshot.get(message)!.blocks },
        response_url: 'https://hooks.invalid/actions/T0WARDLINE/1/x',
        actions: [{ action_id: element.action_id, block_id: block.block_id ?? 'actions', ...action, action_ts: `${Date.now() / 1000}` }],
      }), 'application/x-www-form-urlencoded');
      if (action.type === 'button' && (JSON.parse(String(element.value)) as { f?: unknown }).f) await submitForm(user, trigger, input ?? '');
      const ephemeral = ephemeralFor(user, from);
      return ephemeral ? { ephemeral } : {};
    },
    async seen(who, where, opts = {}) {
      const channel = channelOf(who, where);
      const inChannel = api.messages.filter((m) => m.channel === channel);
      const list = opts.thread
        ? inChannel.filter((m) => m.ts === opts.thread || m.threadTs === opts.thread)
        : inChannel.filter((m) => !m.threadTs || m.threadTs === m.ts);
      return list.map(toSeen);
    },
    async strangerWrites(text) {
      const user = 'U0STRANGER';
      api.users.set(user, 'stranger@example.org');
      const channel = `D${user}`;
      const m = api.addUserMessage(channel, user, text);
      await post(JSON.stringify(eventCallback({ type: 'message', channel, user, text, ts: m.ts, event_ts: m.ts, channel_type: 'im' })), 'application/json');
      await app.settle();
      return api.messages.filter((x) => x.channel === channel && x.user === null).map(toSeen);
    },
    async settle() {
      await slack.idle();
      await app.settle();
    },
  };
}
