import { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatDeliverer } from '../../src/bot/chat-deliverer.js';
import { notice } from '../../src/bot/messages.js';
import { outbound } from '../../src/bot/outbound.js';
import { createSlackSender, slackRateRules } from '../../src/bot/slack/slack-sender.js';
import type { DbHandle } from '../../src/db/client.js';
import { beginSend, claimOutbox } from '../../src/db/outbox-delivery-repo.js';
import { enqueueOutbound } from '../../src/db/outbox-repo.js';
import { outbox } from '../../src/db/tables.js';
import { deliverBatch, type DeliveryDeps } from '../../src/jobs/outbox-delivery.js';
import { RateLimiter } from '../../src/jobs/rate-limiter.js';
import { FixedClock, systemClock, type Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from '../support/test-db.js';

/**
 * The outbox against Slack at the boundary (real PostgreSQL and Redis, the fake Web API on
 * loopback): whatever stalls or dies, each message is in Slack once.
 */
let dbh: DbHandle & { url: string };
let api: FakeSlackApi;
let redis: Redis;
const slack = () => createSlackSender(new WebClient('xoxb-test', { slackApiUrl: api.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }));
const deps = (clock: Clock, o: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
  db: dbh.db, clock, logger: createLogger('silent'), limiter: new RateLimiter(redis, prefix),
  deliverers: [createChatDeliverer({ db: dbh.db, sender: slack(), clock, zone: 'Europe/London', loadContext: () => Promise.reject(new Error('not needed')), rateRules: slackRateRules })],
  ...o,
});
const message = (key: string, channelId: string) => outbound('slack', channelId, key, {
  op: 'post', to: { kind: 'channel', channelId, threadId: null }, render: { kind: 'message', message: notice(`Message ${key}`) },
});
const postsOf = (key: string) => api.messages.filter((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key === key);
const rowOf = async (key: string) => (await dbh.db.select().from(outbox).where(eq(outbox.idempotencyKey, key)))[0]!;
let prefix: string;

beforeAll(async () => {
  dbh = await createTestDatabase();
  api = new FakeSlackApi();
  await api.start();
  redis = new Redis(redisTestUrl(), { maxRetriesPerRequest: null });
  prefix = uniquePrefix('fence');
});
afterAll(async () => { redis?.disconnect(); await api?.stop(); await dbh?.close(); });

describe('delivery to Slack under stalls and kills', () => {
  it('two deliverers racing on one row after a lease expiry send it once', async () => {
    const clock = new FixedClock(new Date());
    await enqueueOutbound(dbh.db, [message('race:1', 'CRACE')], null, clock.now());
    // Worker A claims the row, then stalls (say, waiting on a restarted database) before sending.
    let release!: () => void;
    const gate = new Promise<void>((ok) => { release = ok; });
    let stalled!: () => void;
    const reachedGate = new Promise<void>((ok) => { stalled = ok; });
    const real = new RateLimiter(redis, prefix);
    const slowA = deliverBatch(deps(clock, { limiter: { take: async (rules) => { stalled(); await gate; return real.take(rules); } } as RateLimiter }));
    await reachedGate;
    // Its lease runs out; worker B takes the row over and sends it.
    clock.advance(61_000);
    expect(await deliverBatch(deps(clock))).toBe(1);
    expect(postsOf('race:1')).toHaveLength(1);
    // A wakes up: its claim is gone, so it does not send.
    release();
    await slowA;
    expect(postsOf('race:1')).toHaveLength(1);
    const row = await rowOf('race:1');
    expect([row.status, row.platformMessageId]).toEqual(['sent', postsOf('race:1')[0]!.ts]);
  });

  it('keeps the lease of a slow send, so no other worker takes the message over meanwhile', async () => {
    await enqueueOutbound(dbh.db, [message('slow:1', 'CSLOW')], null, systemClock.now());
    api.postDelayMs = 1200;
    try {
      const slowA = deliverBatch(deps(systemClock, { leaseMs: 300 }));
      const claimedByB: number[] = [];
      while (!postsOf('slow:1').length) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 120));
        claimedByB.push(await deliverBatch(deps(systemClock, { leaseMs: 300 })));
      }
      await slowA;
      expect(claimedByB).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      api.postDelayMs = 0;
    }
    expect(postsOf('slow:1')).toHaveLength(1);
    expect((await rowOf('slow:1')).status).toBe('sent');
  });

  it('recovers a kill between Slack accepting and the row being marked sent without a second post, 250 messages later', async () => {
    const clock = new FixedClock(new Date());
    await enqueueOutbound(dbh.db, [message('kill:1', 'CBUSY')], null, clock.now());
    // The dead worker: claimed, began, Slack took the post, then SIGKILL before it was marked sent.
    const [row] = await claimOutbox(dbh.db, clock.now(), 60_000, 10, ['slack']);
    expect(await beginSend(dbh.db, row!, clock.now(), new Date(clock.now().getTime() + 60_000))).toBe(true);
    const { messageId } = await slack().post({ platform: 'slack', channelId: 'CBUSY', threadId: null }, notice('Message kill:1'), 'kill:1');
    for (let i = 0; i < 250; i++) api.addUserMessage('CBUSY', 'U0TALKER', `chatter ${i}`);
    const historyBefore = api.callsTo('conversations.history').length;
    clock.advance(61_000);
    expect(await deliverBatch(deps(clock))).toBe(1);
    expect(postsOf('kill:1')).toHaveLength(1);
    expect(api.callsTo('conversations.history').length - historyBefore).toBeGreaterThanOrEqual(2); // it paged
    const after = await rowOf('kill:1');
    expect([after.status, after.platformMessageId]).toEqual(['sent', messageId]);
  });

  it('still looks for a taken-over message first when the rate limit holds it back before the retry', async () => {
    const clock = new FixedClock(new Date());
    await enqueueOutbound(dbh.db, [message('held:1', 'CHELD')], null, clock.now());
    const [row] = await claimOutbox(dbh.db, clock.now(), 60_000, 10, ['slack']);
    await beginSend(dbh.db, row!, clock.now(), new Date(clock.now().getTime() + 60_000));
    await slack().post({ platform: 'slack', channelId: 'CHELD', threadId: null }, notice('Message held:1'), 'held:1');
    clock.advance(61_000);
    // The channel is busy (other messages just went to it): the taken-over row is held back for a while.
    const limiter = new RateLimiter(redis, prefix);
    while ((await limiter.take(slackRateRules(row!))) === 0);
    expect(await deliverBatch(deps(clock))).toBe(1);
    expect((await rowOf('held:1')).status).toBe('pending');
    await new Promise((r) => setTimeout(r, 1100));
    clock.advance(2000);
    expect(await deliverBatch(deps(clock))).toBe(1);
    expect(postsOf('held:1')).toHaveLength(1);
    expect((await rowOf('held:1')).status).toBe('sent');
  });
});
