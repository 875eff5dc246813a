import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../src/db/client.js';
import { startRedisServer, type ManagedRedis } from '../src/jobs/redis-server.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres-server.js';

/** Real PostgreSQL and Redis for a benchmark run, started by the project's own scripts. */
export interface BenchServers {
  dbh: DbHandle;
  databaseUrl: string;
  redis: ManagedRedis;
  stop(): Promise<void>;
}

export async function startBenchServers(name: string, pgSettings: string[] = []): Promise<BenchServers> {
  const pg: TestPostgres = await startTestPostgres(pgSettings);
  const databaseUrl = pg.url.replace(/\/[^/]*$/, `/${name}`);
  const redisDir = mkdtempSync(join(tmpdir(), 'wardline-bench-redis-'));
  let dbh: DbHandle | null = null;
  let redis: ManagedRedis;
  try {
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    dbh = await openDatabase({ databaseUrl, dataDir: '' });
    await dbh.migrate();
    redis = await startRedisServer({ bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', dataDir: redisDir, persist: false });
  } catch (e) {
    // A bench that cannot start (no redis-server, say) leaves no PostgreSQL running behind it.
    await dbh?.close().catch(() => {});
    rmSync(redisDir, { recursive: true, force: true });
    pg.stop();
    throw e;
  }
  return {
    dbh, databaseUrl, redis,
    stop: async () => {
      await dbh.close();
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
      pg.stop();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
