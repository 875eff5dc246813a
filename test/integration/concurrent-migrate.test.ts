import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { createEmptyDatabase } from '../support/test-db.js';

describe('migrating from several processes at once', () => {
  it('applies every migration exactly once when four openers migrate an empty database together', async () => {
    const url = await createEmptyDatabase();
    const handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ databaseUrl: url, dataDir: '' })));
    try {
      const results = await Promise.allSettled(handles.map((h) => h.migrate()));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const check = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const applied = await check`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`;
        expect(applied.length).toBeGreaterThan(0);
        expect(applied.every((r) => r.n === 1)).toBe(true);
        const [cases] = await check`select to_regclass('public.cases') as t`;
        expect(cases!.t).toBe('cases');
      } finally {
        await check.end();
      }
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }, 60_000);
});
