import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import {
  eventCallback, interactivityForm, postToSlackEndpoint, SLACK_TEAM, SLACK_TEST_SECRET, slackSignature, slashCommandForm, triggerId,
} from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';
import { inboundBatcher } from '../../src/db/inbound-repo.js';
import { FAILED_LOOKUP_RETRY_MS } from '../../src/bot/slack/channel-names.js';

const CLLR = 'cllr.hussain@birmingham.example';
const RM = 'rm.waste.erdington@birmingham.example';
type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Slack at its HTTP boundary', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  let ids: Map<string, string>;
  let settle: () => Promise<void>;
  /** The app's clock: the system's, moved on by `skew` where a test needs time to pass. */
  let skew = 0;
  const clock = { now: () => new Date(Date.now() + skew) };
  const count = async (table: string) => {
    const rows = await app.running.core.dbh.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    return (rows as unknown as { n: number }[])[0]!.n;
  };
  const stored = async () => ({ cases: await count('cases'), events: await count('processed_events'), inbound: await count('inbound_queue'), outbox: await count('outbox') });
  const dm = (text: string, user: string, extra: Record<string, unknown> = {}) => {
    const m = api.addUserMessage(`D${user}`, user, text);
    return { m, body: JSON.stringify(eventCallback({ type: 'message', channel: `D${user}`, user, text, ts: m.ts, event_ts: m.ts, channel_type: 'im', ...extra })) };
  };
  const post = async (body: string, opts: Parameters<typeof postToSlackEndpoint>[2] = {}) => {
    const r = await postToSlackEndpoint(app.url, body, opts);
    await app.running.chat.slack!.idle();
    return r;
  };
  const botPosts = (channel: string) => api.messages.filter((m) => m.channel === channel && m.user === null);

  beforeAll(async () => {
    api = new FakeSlackApi();
    const apiUrl = await api.start();
    api.channelNames.set('C0ERDINGTON', 'erdington-ward');
    api.channelNames.set('C0RANDOM', 'random');
    app = await startTestApp({ clock, env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl, SLACK_LISTEN_CHANNELS: 'erdington-ward',
    } });
    const h = await slackHarness(app, api);
    ids = h.ids;
    settle = h.settle;
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); });

  it('answers the URL verification challenge', async () => {
    const r = await post(JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ challenge: 'c-123' });
  });

  it('refuses bad, missing, stale and future signatures with 401, storing nothing', async () => {
    const before = await stored();
    const { body } = dm('Fly-tipping on Slade Road, Erdington', ids.get(CLLR)!);
    const now = Math.floor(Date.now() / 1000);
    const answers = [
      await post(body, { secret: 'not-the-secret' }),
      await post(body, { signature: null }),
      await post(body, { ts: now - 6 * 60 }),
      await post(body, { ts: now + 6 * 60 }),
      await post(body, { signature: slackSignature(`${body} `, now), ts: now }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(JSON.parse(a.body).error).toBe('invalid_signature');
    }
    expect(JSON.parse(answers[3]!.body).message).toMatch(/in the future/);
    await settle();
    expect(await stored()).toEqual(before);
  });

  it('refuses malformed JSON and form bodies with 400, storing nothing', async () => {
    const before = await stored();
    for (const [body, contentType] of [
      ['{"type":"event_callback",', 'application/json'],
      ['[1,2,3]', 'application/json'],
      ['payload=%7Bnot-json', 'application/x-www-form-urlencoded'],
      ['user_id=U1&text=hello', 'application/x-www-form-urlencoded'],
      ['<xml/>', 'text/xml'],
    ] as const) {
      const r = await post(body, { contentType });
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body).error).toBe('invalid_body');
    }
    expect(await stored()).toEqual(before);
  });

  it('makes one case of an event Slack delivers four times', async () => {
    const before = await count('cases');
    const { body } = dm('Fly-tipping on Station Road, Erdington, sofa dumped', ids.get(CLLR)!);
    const answers = [await post(body)];
    for (const n of [1, 2, 3]) answers.push(await post(body, { headers: { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' } }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await settle();
    expect(await count('cases')).toBe(before + 1);
    expect(botPosts(`D${ids.get(CLLR)}`).filter((m) => /Station Road/.test(m.text))).toHaveLength(1);
  });

  it('handles an event that was acknowledged but not yet handled when the process stopped', async () => {
    const before = await count('cases');
    const user = ids.get(CLLR)!;
    const m = api.addUserMessage(`D${user}`, user, 'Fly-tipping on Chester Road, Erdington, fridge freezers');
    const body = eventCallback({ type: 'message', channel: `D${user}`, user, text: m.text, ts: m.ts, event_ts: m.ts, channel_type: 'im' });
    // What the receiver stored before its 200; no worker took it (the process died).
    await inboundBatcher(app.running.core.dbh.db, 'slack', () => new Date())(`${SLACK_TEAM}:${String(body.event_id)}`, body);
    const deadline = Date.now() + 10_000;
    while (await count('cases') === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await settle();
    expect(await count('cases')).toBe(before + 1);
    const row = await app.running.core.dbh.db.execute<{ status: string; body: unknown }>(sql`select status, body from inbound_queue where event_key = ${`${SLACK_TEAM}:${String(body.event_id)}`}`);
    expect((row as unknown as { status: string; body: unknown }[])[0]).toEqual({ status: 'done', body: null });
    // Slack's retry of it afterwards changes nothing.
    await post(JSON.stringify(body), { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await settle();
    expect(await count('cases')).toBe(before + 1);
  });

  it('ignores bots, edits, joins and its own posts', async () => {
    const before = await stored();
    const user = ids.get(CLLR)!;
    const ignored = [
      { type: 'message', subtype: 'bot_message', bot_id: 'B0OTHER', channel: 'C0ERDINGTON', text: 'Fly-tipping on Slade Road, Erdington', ts: api.nextTs(), channel_type: 'channel' },
      { type: 'message', subtype: 'message_changed', channel: 'C0ERDINGTON', hidden: true, ts: api.nextTs(), channel_type: 'channel', message: { user, text: 'Fly-tipping on Slade Road, Erdington', ts: '1.0' } },
      { type: 'message', subtype: 'channel_join', channel: 'C0ERDINGTON', user, text: `<@${user}> has joined the channel`, ts: api.nextTs(), channel_type: 'channel' },
      { type: 'message', channel: 'C0ERDINGTON', user: 'UBOT', bot_id: 'BBOT', text: 'Fly-tipping on Slade Road, Erdington', ts: api.nextTs(), channel_type: 'channel' },
      { type: 'message', channel: 'C0RANDOM', user, text: 'Fly-tipping on Slade Road, Erdington', ts: api.nextTs(), channel_type: 'channel' },
    ];
    for (const e of ignored) expect((await post(JSON.stringify(eventCallback(e)))).status).toBe(200);
    await settle();
    const after = await stored();
    expect(after.cases).toBe(before.cases);
    expect(after.outbox).toBe(before.outbox);
  });

  it('listens in a configured channel and answers a mention anywhere, in the thread', async () => {
    const user = ids.get(CLLR)!;
    const heard = api.addUserMessage('C0ERDINGTON', user, 'Fly-tipping on Marsh Hill, Erdington, bags everywhere');
    await post(JSON.stringify(eventCallback({ type: 'message', channel: 'C0ERDINGTON', user, text: heard.text, ts: heard.ts, event_ts: heard.ts, channel_type: 'channel' })));
    const mention = api.addUserMessage('C0RANDOM', user, '<@UBOT> fly-tipping on Orphanage Road, Erdington');
    await post(JSON.stringify(eventCallback({ type: 'app_mention', channel: 'C0RANDOM', user, text: mention.text, ts: mention.ts, event_ts: mention.ts })));
    await settle();
    const inThread = (m: { ts: string; channel: string }) => botPosts(m.channel).filter((x) => x.threadTs === m.ts).map((x) => x.text).join('\n');
    expect(inThread(heard)).toMatch(/WL-\d{6}.*Waste enforcement in Erdington \(Marsh Hill\)/s);
    expect(inThread(mention)).toMatch(/WL-\d{6}.*Erdington \(Orphanage Road\)/s);
  });

  it('asks Slack who the bot is once, not once per event', async () => {
    const before = api.callsTo('auth.test').length;
    const user = ids.get(CLLR)!;
    for (const text of ['<@UBOT> fly-tipping on Wood End Road, Erdington', '<@UBOT> fly-tipping on Short Heath Road, Erdington']) {
      const m = api.addUserMessage('C0RANDOM', user, text);
      await post(JSON.stringify(eventCallback({ type: 'app_mention', channel: 'C0RANDOM', user, text, ts: m.ts, event_ts: m.ts })));
    }
    await settle();
    // Earlier events in this file asked already: these two ask nothing more.
    expect(api.callsTo('auth.test').length).toBe(before);
    expect(before).toBeLessThanOrEqual(1);
  });

  it('asks again for a channel\'s name shortly after a failed lookup: not on every message, and not never', async () => {
    const user = ids.get(CLLR)!;
    const before = await count('cases');
    const inChannel = async (text: string) => {
      const m = api.addUserMessage('C0ERDNEW', user, text);
      await post(JSON.stringify(eventCallback({ type: 'message', channel: 'C0ERDNEW', user, text, ts: m.ts, event_ts: m.ts, channel_type: 'channel' })));
      await settle();
    };
    // Slack fails the lookup (the channel is not known to it yet): the message is not one wardline listens to.
    api.failOn.set('conversations.info', 'internal_error');
    await inChannel('Fly-tipping on Holly Lane, Erdington, mattresses this time');
    expect(api.callsTo('conversations.info').filter((c) => c.body.channel === 'C0ERDNEW')).toHaveLength(1);
    expect(await count('cases')).toBe(before);
    // Slack answers again, but the failure stands for a short while: the next message does not ask.
    api.failOn.delete('conversations.info');
    api.channelNames.set('C0ERDNEW', 'erdington-ward');
    await inChannel('Fly-tipping on Holly Lane, Erdington, a fridge this time');
    expect(api.callsTo('conversations.info').filter((c) => c.body.channel === 'C0ERDNEW')).toHaveLength(1);
    expect(await count('cases')).toBe(before);
    // Once it has stood its time, the next message looks the name up, it is a listened channel, and the name is kept.
    skew += FAILED_LOOKUP_RETRY_MS;
    await inChannel('Fly-tipping on Holly Lane, Erdington, sofas dumped overnight');
    expect(await count('cases')).toBe(before + 1);
    await inChannel('Potholes all along Holly Lane, Erdington');
    expect(api.callsTo('conversations.info').filter((c) => c.body.channel === 'C0ERDNEW')).toHaveLength(2);
  });

  it('/escalate with text opens a case under a DM root; without text opens the form, whose pickers win', async () => {
    const user = ids.get(CLLR)!;
    const before = await count('cases');
    await post(slashCommandForm({ command: '/escalate', text: 'Abandoned car on Sutton Road, Erdington, for three weeks', userId: user, channelId: 'C0RANDOM' }), { contentType: 'application/x-www-form-urlencoded' });
    await settle();
    const root = botPosts(`D${user}`).find((m) => m.text.startsWith('Escalation: Abandoned car on Sutton Road'))!;
    expect(root).toBeDefined();
    expect(botPosts(`D${user}`).filter((m) => m.threadTs === root.ts).map((m) => m.text).join('\n')).toMatch(/WL-\d{6}/);

    const form = slashCommandForm({ command: '/escalate', text: '', userId: user, channelId: 'C0RANDOM' });
    await post(form, { contentType: 'application/x-www-form-urlencoded' });
    const view = api.views.at(-1)!.view as Block;
    expect(view.callback_id).toBe('wardline_escalate');
    expect((view.blocks as Block[]).map((b) => b.block_id)).toEqual(['text', 'ward', 'service']);
    const empty = await post(interactivityForm({ type: 'view_submission', team: { id: SLACK_TEAM }, user: { id: user, team_id: SLACK_TEAM }, trigger_id: triggerId(),
      view: { ...view, id: 'V1', hash: 'h1', state: { values: { text: { value: { type: 'plain_text_input', value: ' ' } } } } } }), { contentType: 'application/x-www-form-urlencoded' });
    expect(JSON.parse(empty.body)).toEqual({ response_action: 'errors', errors: { text: 'Say what is wrong and where.' } });
    await post(interactivityForm({ type: 'view_submission', team: { id: SLACK_TEAM }, user: { id: user, team_id: SLACK_TEAM }, trigger_id: triggerId(),
      view: { ...view, id: 'V2', hash: 'h2', state: { values: {
        text: { value: { type: 'plain_text_input', value: 'Rubbish piling up by the bus stop on the high street' } },
        ward: { value: { type: 'static_select', selected_option: { value: 'erdington' } } },
        service: { value: { type: 'static_select', selected_option: { value: 'street-cleaning' } } },
      } } } }), { contentType: 'application/x-www-form-urlencoded' });
    await settle();
    expect(await count('cases')).toBe(before + 2);
    const last = await app.running.core.dbh.db.query.cases.findFirst({ orderBy: (c, { desc }) => desc(c.seq) });
    expect([last!.wardId, last!.serviceId]).toEqual(['erdington', 'street-cleaning']);
  });

  it('"Escalate this message" opens the form pre-filled from the parse', async () => {
    const user = ids.get(CLLR)!;
    await post(interactivityForm({
      type: 'message_action', callback_id: 'escalate_message', trigger_id: triggerId(), team: { id: SLACK_TEAM }, user: { id: user, team_id: SLACK_TEAM },
      channel: { id: 'C0RANDOM', name: 'random' }, message_ts: '1.0', response_url: 'https://hooks.invalid/x',
      message: { type: 'message', user: 'U0RESIDENT', ts: '1.0', text: 'There is a huge pothole on Kingsbury Road in Erdington' },
    }), { contentType: 'application/x-www-form-urlencoded' });
    const view = api.views.at(-1)!.view as Block;
    const blocks = view.blocks as Block[];
    expect(blocks[0]!.element.initial_value).toBe('There is a huge pothole on Kingsbury Road in Erdington');
    expect(blocks.find((b) => b.block_id === 'ward')!.element.initial_option.value).toBe('erdington');
    expect(blocks.find((b) => b.block_id === 'service')!.element.initial_option.value).toMatch(/^highways-/);
  });

  it('shows "my cases" on App Home to a councillor and to an RM', async () => {
    for (const who of [CLLR, RM]) {
      await post(JSON.stringify(eventCallback({ type: 'app_home_opened', user: ids.get(who), channel: `D${ids.get(who)}`, tab: 'home', event_ts: api.nextTs() })));
      const home = api.homes.get(ids.get(who)!) as Block;
      expect(home.type).toBe('home');
      expect(JSON.stringify(home.blocks)).toMatch(/WL-\d{6}/);
    }
  });

  it('finds a Slack user by their email and neutralises @channel, @here and group pings in what it posts', async () => {
    // A councillor whose Slack id the directory does not have yet: found by the email on their Slack profile.
    const ellis = (await app.running.core.loadContext()).directory.byEmail.get('cllr.ellis@birmingham.example')!;
    await app.running.core.dbh.db.execute(sql`delete from chat_identities where platform = 'slack' and person_id = ${ellis.id}`);
    api.users.set('U0NEWCLLR', 'cllr.ellis@birmingham.example');
    const { body } = dm('<!channel> <!here> <!subteam^S0123|@waste> fly-tipping & rubble on Holly Lane, Erdington <@U0OTHER>', 'U0NEWCLLR');
    await post(body);
    await settle();
    const ctx = await app.running.core.loadContext();
    expect(ctx.directory.byEmail.get('cllr.ellis@birmingham.example')!.slackUserId).toBe('U0NEWCLLR');
    const card = botPosts(`D${ids.get(RM)}`).find((m) => m.text.includes('Holly Lane'))!;
    const shown = JSON.stringify(card.blocks);
    expect(shown).toContain('Holly Lane');
    expect(shown).not.toMatch(/<!(channel|here|everyone|subteam)/);
    expect(shown).not.toMatch(/[^&]&[^a-z#]/);
  });

  it('tells the person, not the channel, when a button no longer applies', async () => {
    const user = ids.get(CLLR)!;
    await post(interactivityForm({
      type: 'block_actions', user: { id: user, team_id: SLACK_TEAM }, team: { id: SLACK_TEAM }, trigger_id: triggerId(), channel: { id: `D${user}` },
      container: { type: 'message', message_ts: '1.0', channel_id: `D${user}` }, message: { ts: '1.0', text: 'old' },
      actions: [{ action_id: 'case.acknowledge|0', block_id: 'a', type: 'button', value: JSON.stringify({ v: '00000000-0000-4000-8000-000000000000', l: 'Acknowledge' }), action_ts: '1' }],
    }), { contentType: 'application/x-www-form-urlencoded' });
    const e = api.ephemerals.at(-1)!;
    expect(e.user).toBe(user);
    expect(e.text).not.toMatch(/Error|at .*\.ts/);
    expect(e.text.length).toBeGreaterThan(10);
  });
});
