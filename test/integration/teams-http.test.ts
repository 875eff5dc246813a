import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notice } from '../../src/bot/messages.js';
import { outbound, personTarget } from '../../src/bot/outbound.js';
import { enqueueOutbound } from '../../src/db/outbox-repo.js';
import { aadFor, postActivity, TEAMS_TENANT, teamsHarness } from '../contract/teams-harness.js';
import { FakeBotConnector } from '../fakes/fake-bot-connector.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';
type El = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Teams at its HTTP boundary', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let ids: Map<string, string>;
  const count = async (table: string) => ((await app.running.core.dbh.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { n: number }[])[0]!.n;
  const from = (email: string) => ({ id: `29:${ids.get(email)}`, aadObjectId: ids.get(email), name: email });
  const inChannel = (extra: Record<string, unknown>) => ({
    serviceUrl: connector.url, channelId: 'msteams', recipient: { id: '28:wardline', name: 'wardline' }, from: from(CLLR),
    conversation: { id: '19:erdington-general@thread.tacv2', conversationType: 'channel', tenantId: TEAMS_TENANT, isGroup: true },
    channelData: { tenant: { id: TEAMS_TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:erdington-general@thread.tacv2', name: 'Erdington ward' } },
    ...extra,
  });

  beforeAll(async () => {
    connector = new FakeBotConnector();
    const url = await connector.start();
    app = await startTestApp({ env: { TEAMS_ALLOW_UNAUTHENTICATED: '1', TEAMS_SERVICE_URL: url, TEAMS_LISTEN_CHANNELS: 'Erdington ward' } });
    ({ ids } = await teamsHarness(app, connector));
  }, 120_000);
  afterAll(async () => { await app?.stop(); await connector?.stop(); });

  it('refuses malformed bodies with 400, storing nothing', async () => {
    const before = await count('cases');
    for (const body of ['{"type":', '[1]', '"message"', '{"text":"no type"}']) {
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_body');
    }
    expect(await count('cases')).toBe(before);
  });

  it('answers a mention in a channel in its reply chain, normalising Teams HTML, and ignores unaddressed chatter', async () => {
    const before = await count('cases');
    const root = connector.nextId();
    const r = await postActivity(app.url, inChannel({
      type: 'message', id: root, textFormat: 'xml',
      text: '<p><at>wardline</at> Fly-tipping&nbsp;on <b>Slade Road</b>, Erdington &amp; it is blocking the path</p>',
      entities: [{ type: 'mention', mentioned: { id: '28:wardline', name: 'wardline' }, text: '<at>wardline</at>' }],
    }));
    expect(r.status).toBe(200);
    await app.settle();
    const replies = connector.activities.filter((a) => a.conversation === `19:erdington-general@thread.tacv2;messageid=${root}`);
    const text = replies.map((a) => JSON.stringify(a.attachments[0]?.content ?? a.text)).join('\n');
    expect(text).toMatch(/WL-\d{6}.*Waste enforcement in Erdington \(Slade Road\)/);
    // A message in a channel that is not listened to, without a mention: nothing.
    await postActivity(app.url, inChannel({
      type: 'message', id: connector.nextId(), text: 'Fly-tipping on Holly Lane, Erdington',
      conversation: { id: '19:other@thread.tacv2', conversationType: 'channel', tenantId: TEAMS_TENANT }, channelData: { channel: { id: '19:other@thread.tacv2', name: 'Random' } },
    }));
    await app.settle();
    expect(await count('cases')).toBe(before + 1);
  });

  it('remembers conversations from installation and conversationUpdate for proactive posts', async () => {
    const aad = aadFor('rm.parks@birmingham.example');
    await postActivity(app.url, {
      type: 'installationUpdate', action: 'add', id: connector.nextId(), serviceUrl: connector.url, channelId: 'msteams',
      from: { id: `29:${aad}`, aadObjectId: aad }, recipient: { id: '28:wardline' }, conversation: { id: `a:${aad}`, conversationType: 'personal', tenantId: TEAMS_TENANT },
    });
    const rows = await app.running.core.dbh.db.execute<{ kind: string; user_id: string }>(sql`select kind, user_id from teams_conversations where conversation_id = ${`a:${aad}`}`);
    expect((rows as unknown as { kind: string; user_id: string }[])[0]).toEqual({ kind: 'personal', user_id: aad });
  });

  it('opens "Escalate this message" pre-filled from the parse, and escalates what the councillor submits', async () => {
    const fetchTask = await postActivity(app.url, {
      ...inChannel({}), type: 'invoke', name: 'composeExtension/fetchTask', id: connector.nextId(),
      value: { commandId: 'escalate', commandContext: 'message', messagePayload: { id: '1', body: { contentType: 'html', content: '<p>Huge pothole on Kingsbury Road in Erdington</p>' } } },
    });
    expect(fetchTask.status).toBe(200);
    const task = (fetchTask.body as El).task.value;
    const body = task.card.content.body as El[];
    expect(task.card.content.version).toBe('1.5');
    expect(body.find((b) => b.id === 'text')!.value).toBe('Huge pothole on Kingsbury Road in Erdington');
    expect(body.find((b) => b.id === 'ward')!.value).toBe('erdington');
    expect(body.find((b) => b.id === 'service')!.value).toMatch(/^highways-/);

    const before = await count('cases');
    const submit = await postActivity(app.url, {
      ...inChannel({}), type: 'invoke', name: 'composeExtension/submitAction', id: connector.nextId(),
      value: { commandId: 'escalate', commandContext: 'message', data: { text: 'Huge pothole on Kingsbury Road', ward: 'erdington', service: 'highways-maintenance' } },
    });
    expect(submit.status).toBe(200);
    await app.settle();
    expect(await count('cases')).toBe(before + 1);
    const last = await app.running.core.dbh.db.query.cases.findFirst({ orderBy: (c, { desc }) => desc(c.seq) });
    expect([last!.wardId, last!.serviceId]).toEqual(['erdington', 'highways-maintenance']);
    const chat = `a:29:${ids.get(CLLR)}`;
    expect(connector.activities.some((a) => a.conversation === chat && a.text === 'Escalation: Huge pothole on Kingsbury Road')).toBe(true);
  });

  it('refreshes a card to its case\'s current status (Universal Actions)', async () => {
    const last = await app.running.core.dbh.db.query.cases.findFirst({ orderBy: (c, { desc }) => desc(c.seq) });
    const r = await postActivity(app.url, {
      ...inChannel({}), type: 'invoke', name: 'adaptiveCard/action', id: connector.nextId(), replyToId: connector.nextId(),
      value: { action: { type: 'Action.Execute', verb: 'wl.refresh', data: { wl: 'wl.refresh', v: JSON.stringify({ kind: 'case_card', caseIds: [last!.id] }) } }, trigger: 'automatic' },
    });
    const card = (r.body as El).value;
    expect([(r.body as El).type, card.version]).toEqual(['application/vnd.microsoft.card.adaptive', '1.5']);
    expect(card.body.find((b: El) => b.id === 'wl_status_0').text).toMatch(/^WL-\d{6}: Sent to the RM$/);
  });

  it('refreshes no card for someone who may not see the case, nor for a stranger: a neutral card instead', async () => {
    const last = await app.running.core.dbh.db.query.cases.findFirst({ orderBy: (c, { desc }) => desc(c.seq) });
    const refreshAs = (who: { id: string; aadObjectId: string | undefined }, kind: string) => postActivity(app.url, {
      ...inChannel({}), from: who, type: 'invoke', name: 'adaptiveCard/action', id: connector.nextId(), replyToId: connector.nextId(),
      value: { action: { type: 'Action.Execute', verb: 'wl.refresh', data: { wl: 'wl.refresh', v: JSON.stringify({ kind, caseIds: [last!.id] }) } }, trigger: 'manual' },
    });
    // Erdington's case: a Small Heath councillor and a libraries RM may not see it; the ward's councillor may.
    for (const email of ['cllr.latif@birmingham.example', 'rm.libraries@birmingham.example']) {
      for (const kind of ['case_card', 'confirmation']) {
        const r = await refreshAs(from(email), kind);
        expect((r.body as El).type, email).toBe('application/vnd.microsoft.card.adaptive');
        const shown = JSON.stringify((r.body as El).value);
        expect(shown).toContain('This case is not available to you.');
        expect(shown).not.toContain(last!.summary);
        expect(shown).not.toMatch(/WL-\d{6}|Acknowledge|Kingsbury/);
      }
    }
    const stranger = await refreshAs({ id: '29:stranger', aadObjectId: '00000000-0000-4000-8000-000000000000' }, 'case_card');
    expect(JSON.stringify((stranger.body as El).value)).toContain('This case is not available to you.');
    const allowed = await refreshAs(from('cllr.whitfield@birmingham.example'), 'confirmation');
    expect(JSON.stringify((allowed.body as El).value)).toContain(`WL-${String(last!.seq).padStart(6, '0')}`);
  });

  it('waits out 429, retries 412/502/504, reports 413 and an unreachable person to the admins', async () => {
    const db = app.running.core.dbh.db;
    const person = (await app.running.core.loadContext()).directory.byEmail.get(CLLR)!;
    const send = (key: string, text: string, to = person.id) => enqueueOutbound(db, [outbound('teams', personTarget(to), key, {
      op: 'post', to: { kind: 'person', personId: to }, render: { kind: 'message', message: notice(text) },
    })], null, new Date());
    const status = async (key: string) => (await db.query.outbox.findFirst({ where: (o, { eq }) => eq(o.idempotencyKey, key) }))!;

    await send('t:429', 'after a 429');
    connector.failNext({ status: 429, retryAfter: 1 }, { status: 412 }, { status: 502 }, { status: 504 });
    await app.settle();
    expect((await status('t:429')).status).toBe('sent');
    expect(connector.activities.filter((a) => a.text === 'after a 429')).toHaveLength(1);

    await send('t:413', 'too big');
    connector.failNext({ status: 413 });
    await app.settle();
    const big = await status('t:413');
    expect([big.status, big.lastError]).toEqual(['failed', expect.stringMatching(/too large/)]);

    const parks = (await app.running.core.loadContext()).directory.byEmail.get('rm.libraries@birmingham.example')!;
    connector.unreachable.add(ids.get('rm.libraries@birmingham.example')!);
    await send('t:unreachable', 'hello', parks.id);
    await app.settle();
    const unreachable = await status('t:unreachable');
    expect([unreachable.status, unreachable.lastError]).toEqual(['failed', expect.stringMatching(/cannot be reached yet \(is wardline installed for them\?\)/)]);
    const adminChat = `a:${ids.get('admin@birmingham.example')}`;
    const told = () => connector.activities.some((a) => a.conversation === adminChat && a.text.includes(`outbox ${unreachable.id}) could not be delivered`));
    for (let i = 0; i < 100 && !told(); i++) { await new Promise((r) => setTimeout(r, 50)); await app.settle(); }
    expect(told()).toBe(true);
  }, 60_000);
});
