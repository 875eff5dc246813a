import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../src/jobs/redis-server.js';
import { startTestPostgres } from './postgres-server.js';

/**
 * Starts real PostgreSQL and Redis once for the whole run. Each test file then makes its own
 * database (test/support/test-db.ts) and its own Redis key prefix.
 * WARDLINE_TEST_DATABASE_URL / WARDLINE_TEST_REDIS_URL point at existing servers instead.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void> | void)[] = [];
  if (!process.env.WARDLINE_TEST_DATABASE_URL) {
    const pg = await startTestPostgres();
    process.env.WARDLINE_TEST_DATABASE_URL = pg.url;
    stops.push(pg.stop);
  }
  if (!process.env.WARDLINE_TEST_REDIS_URL) {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-redis-'));
    const redis = await startRedisServer({ bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', dataDir: dir, persist: false });
    process.env.WARDLINE_TEST_REDIS_URL = redis.url;
    stops.push(redis.stop, () => rmSync(dir, { recursive: true, force: true }));
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
