import { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notice } from '../../src/bot/messages.js';
import { outbound, personTarget } from '../../src/bot/outbound.js';
import { createSlackSender } from '../../src/bot/slack/slack-sender.js';
import { createSlackCall } from '../../src/bot/slack/slack-web-call.js';
import { enqueueOutbound } from '../../src/db/outbox-repo.js';
import { outbox } from '../../src/db/tables.js';
import type { DeliveryError } from '../../src/jobs/outbox-delivery.js';
import { slackHarness } from '../contract/slack-harness.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const client = (url: string) => new WebClient('xoxb-test', { slackApiUrl: url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });

// Posts and edits go through wardline's own lean call in production; the Web API client's is the reference.
describe.each([
  ['its own JSON calls', (url: string) => createSlackSender(client(url), createSlackCall('xoxb-test', url))],
  ['the Web API client', (url: string) => createSlackSender(client(url))],
])('Slack sender, posting through %s', (_name, makeSender) => {
  let api: FakeSlackApi;
  beforeAll(async () => { api = new FakeSlackApi(); await api.start(); });
  afterAll(async () => { await api.stop(); });

  it('maps 429 to a wait of Retry-After, and refusals to permanent failures', async () => {
    const sender = makeSender(api.url);
    const at = { platform: 'slack' as const, channelId: 'C1', threadId: null };
    api.failNext({ status: 429, retryAfter: 7 });
    const limited = await sender.post(at, notice('hello'), 'k-429').catch((e: unknown) => e) as DeliveryError;
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate_limited', 7000]);
    for (const error of ['channel_not_found', 'not_in_channel', 'msg_too_long']) {
      api.failNext({ error });
      const e = await sender.post(at, notice('hello'), `k-${error}`).catch((x: unknown) => x) as DeliveryError;
      expect([e.kind, e.message]).toEqual(['permanent', `Slack refused the message: ${error}`]);
    }
    api.failNext({ error: 'internal_error' });
    expect((await sender.post(at, notice('hello'), 'k-500').catch((x: unknown) => x) as DeliveryError).kind).toBe('transient');
  });

  it('does not post twice when a message that may have gone is tried again', async () => {
    const sender = makeSender(api.url);
    const at = { platform: 'slack' as const, channelId: 'C2', threadId: null };
    const first = await sender.post(at, notice('Your case WL-000001 is resolved.'), 'reply:once');
    const again = await sender.post(at, notice('Your case WL-000001 is resolved.'), 'reply:once', { mayExist: true });
    expect(again.messageId).toBe(first.messageId);
    const inThread = { ...at, threadId: first.messageId };
    const reply = await sender.post(inThread, notice('A reply.'), 'reply:thread');
    expect((await sender.post(inThread, notice('A reply.'), 'reply:thread', { mayExist: true })).messageId).toBe(reply.messageId);
    expect((await sender.post(at, notice('Another.'), 'reply:other', { mayExist: true })).messageId).not.toBe(first.messageId);
    expect(api.messages.filter((m) => m.channel === 'C2')).toHaveLength(3);
  });

  it('uploads a digest\'s chart into the digest\'s thread with its text alternative', async () => {
    const sender = makeSender(api.url);
    const png = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]).toString('base64');
    const { messageId } = await sender.post({ platform: 'slack', channelId: 'C4', threadId: null }, { type: 'notice', text: 'Weekly digest for Erdington', image: { png, alt: 'New cases in Erdington by week: 2026-W47 3.' } }, 'digest:chart');
    expect(api.files).toEqual([{ id: expect.stringMatching(/^F/), channel: 'C4', threadTs: messageId, title: 'New cases by week', alt: 'New cases in Erdington by week: 2026-W47 3.', bytes: expect.any(Number) }]);
    expect(api.files[0]!.bytes).toBeGreaterThanOrEqual(11);
    // Without the files:write scope the digest still goes, without its chart.
    api.failOn.set('files.getUploadURLExternal', 'missing_scope');
    const before = api.files.length;
    const second = await sender.post({ platform: 'slack', channelId: 'C4', threadId: null }, { type: 'notice', text: 'Another', image: { png, alt: 'x' } }, 'digest:chart2');
    api.failOn.clear();
    expect(api.messages.find((m) => m.ts === second.messageId)!.text).toBe('Another');
    expect(api.files.length).toBe(before);
  });

  it('posts a digest too long for one message as the message and its continuation in the thread, losing nothing', async () => {
    const sender = makeSender(api.url);
    const lines = Array.from({ length: 400 }, (_, i) => `• WL-${String(i).padStart(6, '0')} Fly-tipping & "rubble" <bags> on Road ${i}, ward ${i % 69}`);
    const text = `Weekly digest\n${lines.join('\n')}`;
    const { messageId } = await sender.post({ platform: 'slack', channelId: 'C3', threadId: null }, notice(text), 'digest:long');
    const posted = api.messages.filter((m) => m.channel === 'C3');
    expect(posted[0]!.ts).toBe(messageId);
    expect(posted.slice(1).every((m) => m.threadTs === messageId)).toBe(true);
    const shown = posted.flatMap((m) => m.blocks.map((b) => (b.text as { text: string }).text)).join('\n')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    for (const l of lines) expect(shown).toContain(l);
  });
});

describe('Slack delivery through the outbox', () => {
  let app: TestApp;
  let api: FakeSlackApi;
  beforeAll(async () => {
    api = new FakeSlackApi();
    const url = await api.start();
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: url } });
    await slackHarness(app, api);
  }, 120_000);
  afterAll(async () => { await app?.stop(); await api?.stop(); });

  const send = async (email: string, key: string, text: string) => {
    const person = (await app.running.core.loadContext()).directory.byEmail.get(email)!;
    await enqueueOutbound(app.running.core.dbh.db, [outbound('slack', personTarget(person.id), key, {
      op: 'post', to: { kind: 'person', personId: person.id }, render: { kind: 'message', message: notice(text) },
    })], null, new Date());
    return person;
  };
  const row = async (key: string) => (await app.running.core.dbh.db.select().from(outbox).where(eq(outbox.idempotencyKey, key)))[0]!;

  it('waits out a 429 and then delivers once', async () => {
    const person = await send('cllr.hussain@birmingham.example', 'test:429', 'After the rate limit.');
    api.failNext({ status: 429, retryAfter: 1 });
    const started = Date.now();
    await app.settle();
    expect((await row('test:429')).status).toBe('sent');
    const posted = api.callsTo('chat.postMessage').filter((c) => c.body.text === 'After the rate limit.');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.at - started).toBeGreaterThanOrEqual(900);
    expect(api.messages.find((m) => m.text === 'After the rate limit.')!.channel).toBe(`D${person.slackUserId}`);
  });

  it('gives up on channel_not_found at once and tells the admins', async () => {
    await send('cllr.whitfield@birmingham.example', 'test:gone', 'To a channel that is gone.');
    api.failNext({ error: 'channel_not_found' });
    await app.settle();
    const failed = await row('test:gone');
    expect([failed.status, failed.attempts, failed.lastError]).toEqual(['failed', 1, 'Slack refused the message: channel_not_found']);
    // The admins' notice is queued just after the failure is recorded: wait for it to be delivered.
    const told = () => api.messages.some((m) => m.channel === 'DU0DEMOADMN' && m.text.includes(`outbox ${failed.id}) could not be delivered`));
    for (let i = 0; i < 100 && !told(); i++) { await new Promise((r) => setTimeout(r, 50)); await app.settle(); }
    expect(told()).toBe(true);
  });
});
