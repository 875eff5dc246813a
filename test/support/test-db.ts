import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../../src/db/client.js';
import { pgBin } from './postgres-server.js';

/** A fresh database per test file, migrated with the real drizzle migrations. */
export async function createTestDatabase(): Promise<DbHandle & { url: string }> {
  const url = await createEmptyDatabase();
  const handle = await openDatabase({ databaseUrl: url, dataDir: '' });
  await handle.migrate();
  return { ...handle, url };
}

/** A fresh, empty database (no migrations); returns its URL. */
export async function createEmptyDatabase(): Promise<string> {
  const base = process.env.WARDLINE_TEST_DATABASE_URL;
  if (!base) throw new Error('WARDLINE_TEST_DATABASE_URL is not set: run the tests through vitest (global setup starts PostgreSQL).');
  const name = `wl_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return base.replace(/\/[^/]*$/, `/${name}`);
}

export const redisTestUrl = (): string => {
  const url = process.env.WARDLINE_TEST_REDIS_URL;
  if (!url) throw new Error('WARDLINE_TEST_REDIS_URL is not set: run the tests through vitest.');
  return url;
};

export const uniquePrefix = (name: string) => `wltest:${name}:${randomBytes(4).toString('hex')}`;

/** A copy of a database (schema, rows and triggers) as it is now, by pg_dump into a fresh one; returns the copy's URL. */
export async function copyDatabase(url: string): Promise<string> {
  const copy = await createEmptyDatabase();
  await new Promise<void>((resolve, reject) => {
    const dump = spawn(pgBin('pg_dump'), ['--no-owner', '--no-acl', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn(pgBin('psql'), ['-q', '-v', 'ON_ERROR_STOP=1', copy], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    dump.stderr.on('data', (d: Buffer) => { errors += d.toString(); });
    load.stderr.on('data', (d: Buffer) => { errors += d.toString(); });
    dump.stdout.pipe(load.stdin);
    load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`copying the database failed: ${errors}`))));
    dump.on('error', reject);
    load.on('error', reject);
  });
  return copy;
}
