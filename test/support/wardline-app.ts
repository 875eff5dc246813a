import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { startWardline, type Running } from '../../src/main.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { runCli } from './cli.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from './test-db.js';

export interface TestApp {
  running: Running;
  url: string;
  /** Waits until every outbox message due now has been delivered (or has failed). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** A whole wardline (web + worker) on a fresh database seeded with the demo directory by the real CLI. */
/** `logTo`: the app's log lines at warn and above go there; `logger`: the app logs there (otherwise silent unless WARDLINE_TEST_LOG). */
export async function startTestApp(opts: { env?: Record<string, string>; clock?: Clock; databaseUrl?: string; queuePrefix?: string; logTo?: NodeJS.WritableStream; logger?: Logger } = {}): Promise<TestApp & { databaseUrl: string }> {
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const db = await createTestDatabase();
    await db.close();
    databaseUrl = db.url;
    const seeded = await runCli(['seed', '--demo'], { env: { DATABASE_URL: db.url } });
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  }
  const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisTestUrl(), PORT: '0', ...opts.env });
  const logger = opts.logger ?? (opts.logTo ? createLogger('warn', opts.logTo) : createLogger(process.env.WARDLINE_TEST_LOG ?? 'silent'));
  const running = await startWardline(config, logger, 'all', {
    queuePrefix: opts.queuePrefix ?? uniquePrefix('app'), ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    let quiet = 0;
    for (;;) {
      running.chat.wakeDelivery();
      await running.chat.slack?.idle();
      const rows = await running.core.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox where status in ('pending','sending')`);
      const n = (rows as unknown as { n: number }[])[0]?.n ?? 0;
      // Twice empty in a row: a failure's notice to the admins is queued just after the failure.
      if (n === 0 && ++quiet >= 2) return;
      if (n > 0) quiet = 0;
      if (Date.now() > deadline) throw new Error(`${n} outbox messages still undelivered after 15 s`);
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  return { running, url: running.web!.url, databaseUrl, settle, stop: () => running.stop() };
}
