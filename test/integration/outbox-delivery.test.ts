import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatDeliverer } from '../../src/bot/chat-deliverer.js';
import type { ChatAddress, ChatSender } from '../../src/bot/chat-port.js';
import { WorkspaceEvents } from '../../src/bot/local/workspace-events.js';
import { createWorkspaceSender } from '../../src/bot/local/workspace-sender.js';
import type { NeutralMessage } from '../../src/bot/messages.js';
import { outbound } from '../../src/bot/outbound.js';
import { loadConfig } from '../../src/config.js';
import { claimOutbox, listFailedOutbox, retryFailedOutbox } from '../../src/db/outbox-delivery-repo.js';
import { enqueueOutbound } from '../../src/db/outbox-repo.js';
import { ensureChannel, listMessages } from '../../src/db/workspace-repo.js';
import { deliverBatch, DeliveryError, MAX_YIELD_MS, startDeliveryLoop, yieldPauseMs, type DeliveryDeps } from '../../src/jobs/outbox-delivery.js';
import { RateLimiter } from '../../src/jobs/rate-limiter.js';
import { openCore, type Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from '../support/test-db.js';

let core: Core;
let redis: Redis;
const clock = new FixedClock('2026-11-23T10:00:00Z');
const note = (text: string): NeutralMessage => ({ type: 'notice', text });
const post = (key: string, channelId: string, text: string, threadRef?: string) => outbound('local', channelId, key, {
  op: 'post', to: threadRef ? { kind: 'thread_of', refKey: threadRef } : { kind: 'channel', channelId, threadId: null }, render: { kind: 'message', message: note(text) },
});

/** A platform that fails as scripted, then behaves like the workspace. */
function scripted(inner: ChatSender, failures: Map<string, DeliveryError[]>): ChatSender & { calls: string[] } {
  const calls: string[] = [];
  return {
    platform: 'local', calls,
    openDirect: (u) => inner.openDirect(u),
    async post(address: ChatAddress, message: NeutralMessage, key: string) {
      calls.push(key);
      const queued = failures.get(key);
      if (queued?.length) throw queued.shift()!;
      return inner.post(address, message, key);
    },
    update: (a, id, m) => inner.update(a, id, m),
  };
}

let failed: string[];
const deps = (sender: ChatSender): DeliveryDeps => ({
  db: core.dbh.db, clock, logger: createLogger('silent'), limiter: new RateLimiter(redis, uniquePrefix('rl')),
  deliverers: [createChatDeliverer({ db: core.dbh.db, sender, clock, zone: 'Europe/London', loadContext: core.loadContext, rateRules: () => [] })],
  onFailed: async (row, error) => { failed.push(`${row.idempotencyKey}: ${error}`); },
});
const texts = async (channelId: string) => (await listMessages(core.dbh.db, channelId)).map((m) => m.text);

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  core = await openCore(loadConfig({ DATABASE_URL: db.url }), createLogger('silent'), { clock });
  redis = new Redis(redisTestUrl(), { maxRetriesPerRequest: null });
  for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await ensureChannel(core.dbh.db, { id, name: id, kind: 'channel', personId: null, listening: false }, clock.now());
});
afterAll(async () => { redis?.disconnect(); await core?.close(); });

describe('outbox delivery', () => {
  const workspace = () => createWorkspaceSender({ db: core.dbh.db, clock, events: new WorkspaceEvents(redis, redisTestUrl(), uniquePrefix('ws')) });

  it('delivers in order per target, replies in the thread of an earlier message, edits it in place', async () => {
    failed = [];
    await enqueueOutbound(core.dbh.db, [post('a1', 'c1', 'first'), post('a2', 'c1', 'second'), post('a3', 'c1', 'in thread', 'a1')], null, clock.now());
    await enqueueOutbound(core.dbh.db, [outbound('local', 'c1', 'a4', { op: 'update', refKey: 'a1', render: { kind: 'message', message: note('first, edited') } })], null, clock.now());
    expect(await deliverBatch(deps(workspace()))).toBe(4);
    expect(await texts('c1')).toEqual(['first, edited', 'second']);
    const [root] = await listMessages(core.dbh.db, 'c1');
    expect((await listMessages(core.dbh.db, 'c1', { threadId: root!.id })).map((m) => m.text)).toEqual(['first, edited', 'in thread']);
  });

  it('gives way while other work waits: one batch, then a pause; at full speed once that work is done', async () => {
    failed = [];
    await enqueueOutbound(core.dbh.db, [post('y1', 'c5', 'one'), post('y2', 'c5', 'two'), post('y3', 'c5', 'three')], null, clock.now());
    let busy = true;
    // A share of 1%: after a batch of one message the loop pauses for 99 times as long as it took (at most MAX_YIELD_MS).
    const loop = startDeliveryLoop({ ...deps(workspace()), batch: 1 }, { idleMs: 20, yieldTo: () => busy, busyShare: 0.01 });
    try {
      const until = async (n: number) => { for (let i = 0; i < 200 && (await texts('c5')).length < n; i++) await new Promise((r) => setTimeout(r, 10)); };
      await until(1);
      await new Promise((r) => setTimeout(r, 150));
      expect(await texts('c5')).toEqual(['one']);
      busy = false;
      await until(3);
      expect(await texts('c5')).toEqual(['one', 'two', 'three']);
    } finally {
      await loop.stop();
    }
  });

  it('pauses after a batch so that delivery takes its share of the time, and never longer than the cap', () => {
    expect(yieldPauseMs(100, 0.25)).toBe(300);
    expect(yieldPauseMs(100, 0.5)).toBe(100);
    expect(yieldPauseMs(100, 1)).toBe(0);
    expect(yieldPauseMs(1_000, 0.01)).toBe(MAX_YIELD_MS);
  });

  it('holds a rate-limited target for Retry-After, keeping what follows in order', async () => {
    failed = [];
    const sender = scripted(workspace(), new Map([['b1', [new DeliveryError('rate_limited', 'ratelimited', 30_000)]]]));
    await enqueueOutbound(core.dbh.db, [post('b1', 'c2', 'one'), post('b2', 'c2', 'two'), post('b3', 'c3', 'elsewhere')], null, clock.now());
    await deliverBatch(deps(sender));
    expect(await texts('c2')).toEqual([]);
    expect(await texts('c3')).toEqual(['elsewhere']);
    clock.advance(29_000);
    await deliverBatch(deps(sender));
    expect(await texts('c2')).toEqual([]);
    clock.advance(2_000);
    await deliverBatch(deps(sender));
    expect(await texts('c2')).toEqual(['one', 'two']);
  });

  it('retries transient errors with back-off and fails permanent ones for good, telling the admins', async () => {
    failed = [];
    const sender = scripted(workspace(), new Map([
      ['d1', [new DeliveryError('transient', 'socket hang up')]],
      ['d2', [new DeliveryError('permanent', 'channel_not_found')]],
    ]));
    await enqueueOutbound(core.dbh.db, [post('d1', 'c4', 'eventually'), post('d2', 'c1', 'never')], null, clock.now());
    await deliverBatch(deps(sender));
    expect(failed).toEqual(['d2: channel_not_found']);
    expect(await texts('c4')).toEqual([]);
    clock.advance(2_500);
    await deliverBatch(deps(sender));
    expect(await texts('c4')).toEqual(['eventually']);
    const rows = await listFailedOutbox(core.dbh.db);
    expect(rows.map((r) => [r.idempotencyKey, r.lastError])).toEqual([['d2', 'channel_not_found']]);
    expect(await retryFailedOutbox(core.dbh.db, clock.now(), rows[0]!.id)).toBe(1);
    await deliverBatch(deps(sender));
    expect((await texts('c1')).at(-1)).toBe('never');
  });

  it('a worker that dies mid-delivery loses nothing and posts nothing twice', async () => {
    failed = [];
    await enqueueOutbound(core.dbh.db, [post('e1', 'c3', 'survives')], null, clock.now());
    const sender = workspace();
    // The dead worker claimed the row and even posted it, but never marked it sent.
    const [row] = await claimOutbox(core.dbh.db, clock.now(), 60_000, 10, ['local']);
    await sender.post({ platform: 'local', channelId: 'c3', threadId: null }, note('survives'), row!.idempotencyKey);
    expect(await deliverBatch(deps(sender))).toBe(0); // still leased
    clock.advance(61_000);
    expect(await deliverBatch(deps(sender))).toBe(1);
    expect((await texts('c3')).filter((t) => t === 'survives')).toHaveLength(1);
  });

  it('fails a malformed outbox row with a clear reason instead of crashing the worker', async () => {
    failed = [];
    await enqueueOutbound(core.dbh.db, [{ platform: 'local', target: 'c1', idempotencyKey: 'f1', payload: { op: 'explode' } }], null, clock.now());
    await deliverBatch(deps(workspace()));
    expect(failed[0]).toMatch(/^f1: Outbox row \d+ is not a message wardline understands/);
  });
});
