import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { AppError } from '../shared/errors.js';
import * as tables from './tables.js';
import { guardAuditLog } from './audit-guard.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { guardHandle } from './handle-guard.js';

export type Schema = typeof tables;
/** The database, whichever driver is underneath (postgres.js on real servers, PGlite embedded). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens the database. `guard` makes the handle refuse use from inside its own transactions
 * (src/db/handle-guard.ts): always on for PGlite, where such use waits forever; on for PostgreSQL
 * when asked (WARDLINE_DB_GUARD=1 in the config, or in the environment of a test run).
 */
export async function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; guard?: boolean }): Promise<DbHandle> {
  const handle = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  const guard = opts.guard ?? process.env.WARDLINE_DB_GUARD === '1';
  return handle.kind === 'pglite' || guard ? { ...handle, db: guardHandle(handle.db) } : handle;
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 5 });
  const db = drizzle(client, { schema: tables }) as unknown as Db;
  const handle: DbHandle = {
    db,
    kind: 'postgres',
    migrate: () => migrateLocked(client, async () => {
      const plain = drizzle(client);
      await migrate(plain, { migrationsFolder });
      await guardAuditLog(plain);
    }),
    ping: async () => { await client`select 1`; },
    close: () => client.end({ timeout: 5 }),
  };
  try {
    await handle.ping();
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new AppError('db.unavailable',
      `Cannot reach PostgreSQL at ${redactUrl(url)} (${(e as Error).message}). Check that the server is running and DATABASE_URL is right.`, { cause: e });
  }
  return handle;
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const dir = resolve(join(dataDir, 'db'));
  mkdirSync(dir, { recursive: true });
  // The lock lives beside the database folder: PGlite wants that folder to itself.
  const lock: DirLock = acquireDirLock(resolve(dataDir), dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create(dir);
    const db = drizzle(client, { schema: tables }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      migrate: async () => {
        const plain = drizzle(client);
        await migrate(plain, { migrationsFolder });
        await guardAuditLog(plain);
      },
      ping: async () => { await client.query('select 1'); },
      close: async () => { await client.close(); lock.release(); },
    };
  } catch (e) {
    lock.release();
    throw new AppError('db.unavailable', `Cannot open the embedded database in ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

/** Any fixed key: every wardline process migrating one database takes the same lock. */
const MIGRATION_LOCK = 7_117_346_220;

/**
 * Runs the migrations while holding a session advisory lock on a connection of its own, so that
 * several processes starting together against one database migrate one after another (the later
 * ones find nothing left to do) instead of racing to create the same tables.
 */
async function migrateLocked(client: Sql, run: () => Promise<void>): Promise<void> {
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await run();
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    lock.release();
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
}
