import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { COUNT_CAP, listScopedCases, type CaseListFilter } from '../../src/db/tracker-cases-repo.js';
import type { Person } from '../../src/directory/person.js';
import { openCore, type Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';

let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-11-02T10:00:00Z');
const admin = () => ({ all: true, personId: people.get('admin@birmingham.example')!.id, wardIds: [], serviceIds: [] });

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  core = await openCore(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
  people = await seedFixtureDirectory(core.dbh.db);
  const raiser = people.get('cllr.erd@birmingham.example')!.id;
  for (let i = 0; i < 23; i++) {
    clock.set(new Date(Date.UTC(2026, 10, 2 + (i % 5), 9 + (i % 7))));
    await core.cases.openCase(raiser, {
      serviceId: asServiceId(i % 4 === 0 ? 'housing-management' : 'waste-enforcement'), wardId: asWardId('erdington'), urgent: false, topic: 'litter',
      location: i % 3 === 0 ? 'Slade Road, Erdington' : `Sladen Close ${i}`, summary: `Case ${i}`, description: `Case ${i}`,
    });
  }
}, 60_000);
afterAll(async () => { await core?.close(); });

async function walk(f: CaseListFilter, dir: 'after' | 'before', from?: string): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor = from;
  for (let i = 0; i < 20; i++) {
    const p = await listScopedCases(core.dbh.db, admin(), f, { ...(cursor ? { [dir]: cursor } : {}), limit: 5 }, clock.now());
    pages.push(p.rows.map((r) => r.seq));
    cursor = (dir === 'after' ? p.next : p.prev) ?? undefined;
    if (!cursor) break;
  }
  return pages;
}

describe('My cases, page by page', () => {
  it('pages forward and back by cursor through every case in each order, none twice', async () => {
    for (const sort of ['newest', 'oldest', 'due'] as const) {
      const f: CaseListFilter = { status: 'all', sort };
      const forward = await walk(f, 'after');
      const all = (await listScopedCases(core.dbh.db, admin(), f, { limit: 100 }, clock.now())).rows.map((r) => r.seq);
      expect(forward.flat(), sort).toEqual(all);
      expect(forward.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      const last = await listScopedCases(core.dbh.db, admin(), f, { after: String(''), limit: 5 }, clock.now());
      expect(last.prev).toBeNull();
      // Back from the last page to the first.
      const tail = await listScopedCases(core.dbh.db, admin(), f, { limit: 5, after: (await pageCursor(f, 3))! }, clock.now());
      const back = await walk(f, 'before', tail.prev!);
      expect(back.reverse().flat(), sort).toEqual(all.slice(0, 15));
    }
  });

  it('finds a street by its words, the last as a prefix, and counts up to the cap', async () => {
    const seqs = async (q: string) => (await listScopedCases(core.dbh.db, admin(), { status: 'all', q }, { limit: 100 }, clock.now())).rows.length;
    expect(await seqs('Slade Road')).toBe(8);
    expect(await seqs('slade r')).toBe(8);
    expect(await seqs('sladen')).toBe(15);
    expect(await seqs('lade')).toBe(0);
    expect(await seqs('%')).toBe(0);
    for (const sort of ['newest', 'due'] as const) {
      const f: CaseListFilter = { status: 'all', q: 'sladen', sort };
      const all = (await listScopedCases(core.dbh.db, admin(), f, { limit: 100 }, clock.now())).rows.map((r) => r.seq);
      expect((await walk(f, 'after')).flat(), sort).toEqual(all);
    }
    const p = await listScopedCases(core.dbh.db, admin(), { status: 'all' }, { limit: 5 }, clock.now());
    expect([p.total, p.totalIsAtLeast]).toEqual([23, false]);
    expect(COUNT_CAP).toBeGreaterThan(23);
  });
});

async function pageCursor(f: CaseListFilter, pages: number): Promise<string | null> {
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) cursor = (await listScopedCases(core.dbh.db, admin(), f, { ...(cursor ? { after: cursor } : {}), limit: 5 }, clock.now())).next;
  return cursor;
}
