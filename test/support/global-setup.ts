import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../src/jobs/redis-server.js';
import { repoRoot } from './cli.js';
import { startTestPostgres } from './postgres-server.js';

/**
 * Starts real PostgreSQL and Redis once for the whole run. Each test file then makes its own
 * database (test/support/test-db.ts) and its own Redis key prefix.
 * WARDLINE_TEST_DATABASE_URL / WARDLINE_TEST_REDIS_URL point at existing servers instead.
 * Builds dist/ first when it is older than the sources, so tests that run the `wardline` command
 * run the compiled code (a fraction of a second to start instead of seconds through tsx).
 */
export default async function setup(): Promise<() => Promise<void>> {
  buildIfStale();
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

function buildIfStale(): void {
  const r = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  // Exit 2: type errors, but dist/ was written (tsx would run the same code); 1: nothing was written.
  if (r.status !== 0 && r.status !== 2) throw new Error('wardline: the build failed (see above); the CLI tests need dist/.');
}
