import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/bot/chat-port.js';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { eventCallback, postToSlackEndpoint, SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CLLR = 'cllr.hussain@birmingham.example';

/** Events handled together in one transaction, each turn on its own. */
describe('batched intake', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  let ids: Map<string, string>;
  const logged: string[] = [];
  const logTo = new Writable({ write(chunk: Buffer, _enc, done) { logged.push(chunk.toString()); done(); } });
  const db = () => app.running.core.dbh.db;
  const rows = async <T>(q: ReturnType<typeof sql>) => (await db().execute(q)) as unknown as T[];
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;
  let n = 0;
  const message = (user: string, text: string, eventId = `Ev${++n}`): InboundEvent => ({
    kind: 'message', eventId: `TBATCH:${eventId}`, address: { platform: 'slack', channelId: `D${user}`, threadId: null }, messageId: `1800000${n}.0001`,
    channelName: '', isDirect: true, mentionsBot: false, listening: false, userExternalId: user, text, attachments: [],
  });

  beforeAll(async () => {
    api = new FakeSlackApi();
    const apiUrl = await api.start();
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: apiUrl }, logTo });
    ({ ids } = await slackHarness(app, api));
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); });

  it('opens one case per event of a batch, ignores a repeat inside it, and answers a refused action without undoing the rest', async () => {
    const user = ids.get(CLLR)!;
    const first = message(user, 'Fly-tipping on Batchley Road, Erdington');
    const evs: InboundEvent[] = [
      first,
      message(user, 'Graffiti on the wall of Batchwood Lane, Erdington'),
      { ...first },
      { kind: 'action', eventId: 'TBATCH:act1', address: { platform: 'slack', channelId: `D${user}`, threadId: null }, messageId: '1', userExternalId: user, actionId: 'case.acknowledge', value: '00000000-0000-0000-0000-000000000000', input: null },
      message('U0NOBODY', 'Potholes on Batchford Street, Erdington'),
    ];
    const replies = await app.running.chat.flows.handleBatch(evs);
    expect(replies).toHaveLength(5);
    expect(replies.some((r) => r.failed)).toBe(false);
    expect(replies[3]!.ephemeral).toMatch(/case/i);
    expect(await count(sql`select count(*)::int as n from cases where location ilike '%Batch%'`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from processed_events where event_key like 'TBATCH:%'`)).toBe(4);
    // The stranger is told, in the thread of what they wrote.
    expect(await count(sql`select count(*)::int as n from outbox where idempotency_key like 'reply:slack:TBATCH:%:stranger'`)).toBe(1);
    // Handled again (a redelivery of the whole batch), nothing more happens.
    await app.running.chat.flows.handleBatch(evs);
    expect(await count(sql`select count(*)::int as n from cases where location ilike '%Batch%'`)).toBe(2);
  });

  it('turns many stored Slack events into one case each with its RM card in the outbox', async () => {
    const user = ids.get(CLLR)!;
    const a = ['Ash', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Holly', 'Larch', 'Maple', 'Oak', 'Rowan'];
    const streets = Array.from({ length: 30 }, (_, i) => `Stack${a[i % 10]!.toLowerCase()}${['field', 'wood', 'brook'][Math.floor(i / 10)]} Road`);
    const answers = await Promise.all(streets.map((s, i) => {
      const ts = `1800001${String(i).padStart(3, '0')}.000100`;
      return postToSlackEndpoint(app.url, JSON.stringify(eventCallback({ type: 'message', channel: `D${user}`, user, text: `Fly-tipping on ${s}, Erdington`, ts, event_ts: ts, channel_type: 'im' })));
    }));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await app.running.chat.slack!.idle();
    const opened = await rows<{ id: string }>(sql`select id from cases where location ilike 'Stack%'`);
    expect(opened).toHaveLength(30);
    expect(await count(sql`select count(distinct case_id)::int as n from outbox where payload->'render'->>'kind' = 'rm_card' and case_id in (select id from cases where location ilike 'Stack%')`)).toBe(30);
    expect(await count(sql`select count(*)::int as n from inbound_queue where status <> 'done'`)).toBe(0);
  });

  it('opens the cases of a batch together, asking about a report that repeats an earlier one of the batch', async () => {
    const user = ids.get(CLLR)!;
    logged.splice(0);
    const evs = [
      message(user, 'Fly-tipping on Togford Road, Erdington'),
      message(user, 'Graffiti on the wall of Togmoor Street, Erdington'),
      message(user, 'Fly-tipping again on Togford Rd, Erdington'),
    ];
    const replies = await app.running.chat.flows.handleBatch(evs);
    expect(replies.some((r) => r.failed)).toBe(false);
    expect((await rows<{ location: string }>(sql`select location from cases where location ilike 'Tog%' order by seq`)).map((c) => c.location)).toEqual(['Togford Road', 'Togmoor Street']);
    expect(await count(sql`select count(*)::int as n from intake_drafts where text ilike '%Togford Rd%'`)).toBe(1);
    // Together, not one at a time after a failure.
    expect(logged.filter((l) => /alone/.test(l))).toEqual([]);
  });

  it('opens one case for reports in a batch that repeat each other or an open case, asking the rest, while a poison event fails alone', async () => {
    const user = ids.get(CLLR)!;
    const before = await rows<{ seq: number }>(sql`select coalesce(max(seq), 0)::int as seq from cases`);
    const poison = message(user, 'Potholes on Dupwick Lane, Erdington');
    const evs: InboundEvent[] = [
      message(user, 'Fly-tipping on Dupford Road, Erdington'),
      message(user, 'Graffiti on the wall of Dupmoor Street, Erdington'),
      message(user, 'Fly-tipping again on Dupford Road, Erdington'),
      // The database refuses what this one would store (a NUL in its channel): it cannot be handled.
      { ...poison, address: { ...poison.address, channelId: `D${user}\u0000` } },
      message(user, 'Fly-tipping on Dupford Rd Erdington, third time'),
      message(user, 'Fly-tipping on Batchley Road, Erdington, still there'),
      message(user, 'Broken street light on Dupmoor Street, Erdington'),
    ];
    const replies = await app.running.chat.flows.handleBatch(evs);
    expect(replies.map((r) => !!r.failed)).toEqual([false, false, false, true, false, false, false]);
    const opened = await rows<{ location: string; service_id: string; seq: number }>(sql`select location, service_id, seq::int from cases where location ilike '%Dup%' order by seq`);
    // One case each: Dupford Road's fly-tipping (not three), Dupmoor Street's graffiti and its street light.
    expect(opened.map((c) => c.location)).toEqual(['Dupford Road', 'Dupmoor Street', 'Dupmoor Street']);
    expect(new Set(opened.map((c) => c.service_id)).size).toBe(3);
    expect(opened.map((c) => c.seq)).toEqual([1, 2, 3].map((k) => before[0]!.seq + k));
    expect(await count(sql`select count(*)::int as n from cases where location ilike 'Batchley%'`)).toBe(1);
    // The two repeats in the batch and the repeat of an open case are each asked "Same as …?".
    const asked = await rows<{ parsed: { duplicateOf: string } }>(sql`select parsed from intake_drafts where text ilike '%Dup%' or text ilike '%Batchley%still%'`);
    expect(asked).toHaveLength(3);
    const firstId = (await rows<{ id: string }>(sql`select id from cases where location = 'Dupford Road'`))[0]!.id;
    expect(asked.filter((d) => d.parsed.duplicateOf === firstId)).toHaveLength(2);
    expect(await count(sql`select count(*)::int as n from outbox where payload->'render'->>'kind' = 'rm_card' and case_id in (select id from cases where location ilike '%Dup%')`)).toBe(3);
    expect(await count(sql`select count(*)::int as n from processed_events where event_key = ${poison.eventId}`)).toBe(0);
  });
});
