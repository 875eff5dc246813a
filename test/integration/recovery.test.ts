import { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../src/jobs/redis-server.js';
import { FixedClock } from '../../src/shared/clock.js';
import { uniquePrefix } from '../support/test-db.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const clock = new FixedClock('2026-11-23T10:00:00Z'); // Monday 10:00
let app: TestApp & { databaseUrl: string };
// A Redis of its own: FLUSHALL must not touch the other test files' queues.
let ownRedis: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  ownRedis = await startRedisServer({ bin: 'redis-server', dataDir: mkdtempSync(join(tmpdir(), 'wl-recovery-')) });
});
afterAll(async () => { await app?.stop(); await ownRedis?.stop(); });

const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${app.url}${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  return res.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('when Redis loses everything', () => {
  it('reconciles the job schedulers on restart and still sends every reminder and message exactly once', async () => {
    const prefix = uniquePrefix('recovery');
    const env = { REDIS_URL: ownRedis.url };
    app = await startTestApp({ clock, queuePrefix: prefix, env });
    const ctx = await app.running.core.loadContext();
    const cllr = ctx.directory.byEmail.get('cllr.hussain@birmingham.example')!.id;
    const rm = ctx.directory.byEmail.get('rm.waste.erdington@birmingham.example')!.id;
    const sent = await api(`/api/workspace/channels/dm-${cllr}/messages`, { as: cllr, text: 'fly-tipping on Slade Road, Erdington' });

    // Everything in Redis goes, and the process with it, maybe before the replies were delivered.
    const redis = new Redis(ownRedis.url);
    await redis.flushall();
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    await app.stop();

    clock.set('2026-11-24T13:30:00Z'); // Tuesday, 3.5 working hours before acknowledge-by
    app = await startTestApp({ clock, queuePrefix: prefix, databaseUrl: app.databaseUrl, env });
    await app.settle();
    const replies = await api(`/api/workspace/channels/dm-${cllr}/messages?as=${cllr}&thread=${sent.messageId}`);
    expect(replies.messages.filter((m: { text: string }) => m.text.startsWith('Logged WL-'))).toHaveLength(1);
    const jobs = app.running.chat.jobs!;
    const schedulers = (await jobs.queues['sla-sweep'].getJobSchedulers()).map((s) => s.key);
    expect(schedulers).toContain('sla-sweep');
    expect((await jobs.queues.digests.getJobSchedulers()).map((s) => s.key)).toContain('weekly-ward-digest');

    // Two sweeps (the scheduler's and a manual one) still remind once.
    for (let i = 0; i < 2; i++) {
      const job = await jobs.queues['sla-sweep'].add('sweep', {});
      await expect.poll(async () => (await job.getState()), { timeout: 15_000 }).toBe('completed');
    }
    await app.settle();
    const dm = await api(`/api/workspace/channels/dm-${rm}/messages?as=${rm}`);
    const cards = dm.messages.filter((m: { text: string }) => /WL-\d{6}/.test(m.text));
    expect(cards).toHaveLength(1);
    const card = cards[0];
    const thread = await api(`/api/workspace/channels/dm-${rm}/messages?as=${rm}&thread=${card.id}`);
    const reminders = thread.messages.filter((m: { text: string }) => m.text.startsWith('Reminder:'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0].text).toMatch(/needs acknowledging: due 2026-11-24 17:00/);
    redis.disconnect();
  }, 90_000);
});
