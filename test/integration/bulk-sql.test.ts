import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJsonRows, rowsOf } from '../../src/db/bulk-sql.js';
import type { DbHandle } from '../../src/db/client.js';
import { outbox } from '../../src/db/tables.js';
import { createTestDatabase } from '../support/test-db.js';

let dbh: DbHandle;
beforeAll(async () => { dbh = await createTestDatabase(); }, 120_000);
afterAll(async () => { await dbh?.close(); });

describe('rows written as one JSON parameter', () => {
  it('stores every column as drizzle would: text with quotes and emoji, jsonb as given, instants, NULLs and defaults', async () => {
    const at = new Date('2026-12-03T10:15:30.123Z');
    const payload = { op: 'post', to: { kind: 'channel', channelId: 'C1', threadId: null }, render: { kind: 'message', message: { type: 'notice', text: 'It\'s "bad" 🚮 \\ on Slade Road' } } };
    const rows = [
      { idempotencyKey: 'bulk:1', platform: 'slack' as const, target: 'C1', payload, caseId: null, createdAt: at, nextAttemptAt: at },
      { idempotencyKey: 'bulk:2', platform: 'teams' as const, target: 'T1', payload: { n: 2, list: [1, 'two'] }, caseId: null, createdAt: at, nextAttemptAt: at },
    ];
    const inserted = rowsOf<{ id: string | number }>(await dbh.db.execute(insertJsonRows(outbox, rows, sql`returning id`)));
    expect(inserted).toHaveLength(2);
    const stored = await dbh.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(stored.map((r) => [r.idempotencyKey, r.platform, r.target, r.payload, r.caseId, r.createdAt.toISOString(), r.status, r.attempts])).toEqual([
      ['bulk:1', 'slack', 'C1', payload, null, at.toISOString(), 'pending', 0],
      ['bulk:2', 'teams', 'T1', { n: 2, list: [1, 'two'] }, null, at.toISOString(), 'pending', 0],
    ]);
  });

  it('takes the statement\'s tail: a repeated key is no change with ON CONFLICT DO NOTHING', async () => {
    const at = new Date('2026-12-03T11:00:00Z');
    const row = { idempotencyKey: 'bulk:1', platform: 'slack' as const, target: 'C9', payload: {}, createdAt: at, nextAttemptAt: at };
    const r = rowsOf(await dbh.db.execute(insertJsonRows(outbox, [row], sql`on conflict do nothing returning id`)));
    expect(r).toEqual([]);
    const [kept] = await dbh.db.select().from(outbox).where(sql`idempotency_key = 'bulk:1'`);
    expect(kept!.target).toBe('C1');
  });
});
