/**
 * Outbox delivery of 10 k messages to 500 Slack channels through a fake Slack that enforces its
 * limit of 1 message a second per channel (bursts of 2): the achieved rate against that limit
 * (the baseline: the fastest any client may go) and the 429s. Target ≥ 90 %, zero 429s.
 * Prints, never asserts.   npx tsx bench/jobs-delivery.ts [--messages 10000] [--channels 500]
 */
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { createChatDeliverer } from '../src/bot/chat-deliverer.js';
import { notice } from '../src/bot/messages.js';
import { outbound } from '../src/bot/outbound.js';
import { createSlackSender, slackRateRules } from '../src/bot/slack/slack-sender.js';
import { loadConfig } from '../src/config.js';
import { enqueueOutbound } from '../src/db/outbox-repo.js';
import { startDeliveryLoop } from '../src/jobs/outbox-delivery.js';
import { RateLimiter } from '../src/jobs/rate-limiter.js';
import { openCore } from '../src/main.js';
import { createLogger } from '../src/shared/logger.js';
import { systemClock } from '../src/shared/clock.js';
import { sql } from 'drizzle-orm';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { fmt, startBenchServers } from './support.js';

const arg = (name: string, dflt: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const N = arg('--messages', 10_000);
const CHANNELS = arg('--channels', 500);
const servers = await startBenchServers(`bench_delivery_${process.pid}`);
const api = new FakeSlackApi();
const redis = new Redis(servers.redis.url, { maxRetriesPerRequest: null });
const core = await openCore(loadConfig({ DATABASE_URL: servers.databaseUrl }), createLogger('silent'));
try {
  await api.start();
  api.limit = { perSecond: 1, burst: 2 };
  const rows = Array.from({ length: N }, (_, i) => {
    const channel = `C${String(i % CHANNELS).padStart(8, '0')}`;
    return outbound('slack', channel, `bench:${i}`, { op: 'post', to: { kind: 'channel', channelId: channel, threadId: null }, render: { kind: 'message', message: notice(`Message ${i}`) } });
  });
  for (let i = 0; i < rows.length; i += 1000) await enqueueOutbound(core.dbh.db, rows.slice(i, i + 1000), null, new Date());
  const sender = createSlackSender(new WebClient('xoxb-bench', { slackApiUrl: api.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }));
  const deliverer = createChatDeliverer({ db: core.dbh.db, sender, clock: systemClock, zone: 'Europe/London', loadContext: core.loadContext, rateRules: slackRateRules });
  const started = performance.now();
  const loop = startDeliveryLoop({ db: core.dbh.db, clock: systemClock, logger: createLogger('silent'), limiter: new RateLimiter(redis, `bench${process.pid}`), deliverers: [deliverer], batch: Number(process.env.BENCH_BATCH ?? 100) }, { idleMs: 20 });
  for (;;) {
    const r = await core.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where status <> 'sent'`);
    if ((r as unknown as { n: number }[])[0]!.n === 0) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await loop.stop();
  // The fastest any client may go: the burst at once, then one a second per channel.
  const perChannel = N / CHANNELS;
  const ideal = Math.max(0, perChannel - 2);
  const posted = api.messages.length;
  console.log(`delivered ${posted} of ${N} messages to ${CHANNELS} channels in ${fmt(seconds, 2)} s (${fmt(posted / seconds)} msgs/s)`);
  console.log(`limit: ${CHANNELS} msgs/s (1/s per channel); achieved ${fmt((posted / seconds / CHANNELS) * 100)} % of it (target ≥ 90 %)`);
  console.log(`with Slack's burst the fastest possible is ${fmt(ideal, 2)} s: ${fmt((ideal / seconds) * 100)} % of that`);
  console.log(`429s from Slack: ${api.limited} (target 0)`);
} finally {
  await core.close();
  redis.disconnect();
  await api.stop();
  await servers.stop();
}
