import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DbHandle } from '../../src/db/client.js';
import { openCore } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestDatabase } from '../support/test-db.js';

const dir = mkdtempSync(join(tmpdir(), 'wardline-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (t: Pick<DbHandle['db'], 'execute'>, name: string) => t.execute(sql`insert into guard_probe (name) values (${name})`);
const count = async (h: DbHandle) => {
  const rows = await h.db.execute<{ n: number }>(sql`select count(*)::int as n from guard_probe`);
  return ((rows as unknown as { rows?: { n: number }[] }).rows ?? (rows as unknown as { n: number }[]))[0]!.n;
};

const drivers: [string, () => Promise<DbHandle>][] = [
  ['PostgreSQL (WARDLINE_DB_GUARD=1)', () => createTestDatabase()],
  ['PGlite (always)', () => openDatabase({ dataDir: dir, guard: false })],
];

describe.each(drivers)('the database handle on %s', (_name, open) => {
  let h: DbHandle;
  afterAll(async () => { await h?.close(); });

  it('refuses a query through the handle inside its own transaction, and rolls the transaction back', async () => {
    h = await open();
    await h.db.execute(sql`create table guard_probe (name text primary key)`);
    const tx = h.db.transaction(async (t) => {
      await put(t, 'one');
      await h.db.execute(sql`select 1`);
    });
    await expect(tx).rejects.toMatchObject({ code: 'db.nested_use' });
    expect(await count(h)).toBe(0);
  });

  it('refuses a nested transaction on the handle, but takes a savepoint on the transaction', async () => {
    await expect(h.db.transaction(async () => h.db.transaction(async () => 1))).rejects.toMatchObject({ code: 'db.nested_use' });
    const n = await h.db.transaction(async (t) => t.transaction(async (inner) => {
      await put(inner, 'two');
      return 2;
    }));
    expect(n).toBe(2);
    expect(await count(h)).toBe(1);
  });

  it('lets transactions from separate requests run side by side, and work started inside use the handle once it ends', async () => {
    let later: Promise<number> | null = null;
    let allEnded = () => {};
    const ended = new Promise<void>((ok) => { allEnded = ok; });
    const results = await Promise.all([1, 2, 3].map((i) => h.db.transaction(async (t) => {
      await put(t, `side-${i}`);
      // Started inside the first transaction, run once all three have ended (whatever the machine's speed).
      if (i === 1) later = new Promise((ok) => setTimeout(ok, 50)).then(() => ended).then(() => count(h));
      return i;
    })));
    allEnded();
    expect(results).toEqual([1, 2, 3]);
    expect(await later).toBe(4);
  });
});

describe('the case context', () => {
  it('is refused inside a transaction even when it would come from the cache', async () => {
    const db = await createTestDatabase();
    await db.close();
    const core = await openCore(loadConfig({ DATABASE_URL: db.url, WARDLINE_DB_GUARD: '1' }), createLogger('silent'));
    try {
      await core.loadContext();
      await expect(core.dbh.db.transaction(() => core.loadContext())).rejects.toMatchObject({ code: 'db.nested_use' });
      await expect(core.loadContext()).resolves.toBeDefined();
    } finally {
      await core.close();
    }
  });
});
