import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notice } from '../../src/bot/messages.js';
import { outbound } from '../../src/bot/outbound.js';
import type { DbHandle } from '../../src/db/client.js';
import { enqueueOutbound } from '../../src/db/outbox-repo.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { repoRoot, runCli } from '../support/cli.js';
import { SLACK_TEST_SECRET } from '../support/slack-requests.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from '../support/test-db.js';

/**
 * A real `wardline start --role worker` process killed with SIGKILL while Slack holds its
 * requests: after a restart every message is in Slack exactly once.
 */
describe('a worker killed with SIGKILL mid-delivery', () => {
  let dbh: DbHandle & { url: string };
  let api: FakeSlackApi;
  let worker: ChildProcess | null = null;
  const env = () => ({
    PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: dbh.url, REDIS_URL: redisTestUrl(), WARDLINE_QUEUE_PREFIX: uniquePrefix('kill').replace(/:/g, '.'),
    LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: api.url,
  });
  const start = () => spawn(process.execPath, [`${repoRoot}bin/wardline.js`, 'start', '--role', 'worker'], { cwd: repoRoot, env: env(), stdio: 'ignore' });
  const until = async (what: () => Promise<boolean> | boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const sent = async () => ((await dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where status = 'sent'`)) as unknown as { n: number }[])[0]!.n;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    api = new FakeSlackApi();
    await api.start();
    expect((await runCli(['seed', '--demo'], { env: { DATABASE_URL: dbh.url } })).code).toBe(0);
  }, 60_000);
  afterAll(async () => { worker?.kill('SIGKILL'); await api?.stop(); await dbh?.close(); });

  it('loses nothing and posts nothing twice', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => outbound('slack', `C${String(i).padStart(8, '0')}`, `kill:${i}`, {
      op: 'post', to: { kind: 'channel', channelId: `C${String(i).padStart(8, '0')}`, threadId: null }, render: { kind: 'message', message: notice(`Message ${i}`) },
    }));
    await enqueueOutbound(dbh.db, messages, null, new Date());
    api.postDelayMs = 3000; // Slack has the messages, the worker has no answer yet
    worker = start();
    await until(() => api.callsTo('chat.postMessage').length >= 10, 60_000);
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    const stored = api.messages.length;
    expect(stored).toBeGreaterThanOrEqual(10);
    expect(await sent()).toBeLessThan(30);

    // The dead worker's leases run out (they would after a minute); a new worker takes over.
    await dbh.db.execute(sql`update outbox set next_attempt_at = now() where status = 'sending'`);
    api.postDelayMs = 0;
    worker = start();
    await until(async () => (await sent()) === 30, 60_000);
    worker.kill('SIGTERM');
    const perKey = new Map<string, number>();
    for (const m of api.messages) {
      const key = String((m.metadata?.event_payload as { key?: string } | undefined)?.key);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect([...perKey.keys()].sort()).toEqual(messages.map((m) => m.idempotencyKey).sort());
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
