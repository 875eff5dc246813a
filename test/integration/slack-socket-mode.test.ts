import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeSlackSocket } from '../fakes/fake-slack-socket.js';
import { eventCallback } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

describe('Slack in Socket Mode', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  beforeAll(async () => {
    api = new FakeSlackApi();
    socket = new FakeSlackSocket();
    api.socketUrl = await socket.start();
    const apiUrl = await api.start();
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: apiUrl } });
    await socket.waitForClient();
  }, 120_000);
  afterAll(async () => { await app?.stop(); await socket?.stop(); await api?.stop(); });

  it('connects out, stores and acks each envelope, and turns a DM into a case answered in its thread', async () => {
    const { ids, settle } = await slackHarness(app, api);
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);
    // No HTTP endpoint in Socket Mode.
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    const user = ids.get('cllr.hussain@birmingham.example')!;
    const m = api.addUserMessage(`D${user}`, user, 'Fly-tipping on Slade Road, Erdington, again');
    const body = eventCallback({ type: 'message', channel: `D${user}`, user, text: m.text, ts: m.ts, event_ts: m.ts, channel_type: 'im' });
    await socket.sendEvent(body);
    await socket.sendEvent(body); // Slack's redelivery after a reconnect
    const deadline = Date.now() + 10_000;
    const count = async () => ((await app.running.core.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from cases`)) as unknown as { n: number }[])[0]!.n;
    while (await count() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await settle();
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(await count()).toBe(1);
    // Through the stored inbound queue, as HTTP events are: stored once (the redelivery a repeat), then handled.
    const stored = (await app.running.core.dbh.db.execute<{ status: string }>(sql`select status from inbound_queue where platform = 'slack'`)) as unknown as { status: string }[];
    expect(stored.map((r) => r.status)).toEqual(['done']);
    const replies = api.messages.filter((x) => x.channel === `D${user}` && x.threadTs === m.ts && x.user === null);
    expect(replies.map((x) => x.text).join('\n')).toMatch(/WL-\d{6}.*Waste enforcement in Erdington \(Slade Road\)/s);
  });
});
