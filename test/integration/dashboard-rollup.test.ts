import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { yearRange } from '../../src/dashboards/dashboard-model.js';
import { loadAreaFiguresLive, loadServiceScorecardLive } from '../../src/db/dashboard-live.js';
import { loadAreaFigures, loadServiceScorecard, rowsOf, type AreaFigures, type DashboardArea } from '../../src/db/dashboard-repo.js';
import { ensureDashboardStats } from '../../src/db/dashboard-stats-build.js';
import { loadTopicByWard } from '../../src/db/dashboard-topic.js';
import type { Person } from '../../src/directory/person.js';
import { openCore, type Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId, type CaseId, type PersonId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';

const ZONE = 'Europe/London';
let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-01-05T10:00:00Z');
const who = (email: string) => people.get(`${email}@birmingham.example`)!.id;

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  core = await openCore(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
  people = await seedFixtureDirectory(core.dbh.db);
}, 60_000);
afterAll(async () => { await core?.close(); });

const WARDS = ['erdington', 'kingstanding', 'gravelly-hill'] as const;
const SERVICES = ['waste-enforcement', 'street-cleaning', 'housing-management'] as const;
const TOPICS = ['fly-tipping', 'litter', null] as const;
const later = (hours: number) => clock.set(new Date(clock.now().getTime() + hours * 3_600_000));

/** Forty cases over the year, each worked differently: acknowledged, answered, resolved, reopened, reassigned, moved. */
async function seedCases(n = 40): Promise<void> {
  const admin = who('admin');
  for (let i = 0; i < n; i++) {
    clock.set(new Date(Date.UTC(2026, i % 11, 1 + ((i * 7) % 27), 7 + (i % 12), (i * 13) % 60)));
    const c = await core.cases.openCase(who('cllr.erd'), {
      serviceId: asServiceId(SERVICES[i % 3]!), wardId: asWardId(WARDS[i % 3]!), urgent: i % 5 === 0,
      topic: TOPICS[(i * 2) % 3] ?? undefined, location: `Road ${i}`, summary: `Case ${i}`, description: `Case ${i}`,
    } as never);
    await work(c.id, i, admin);
  }
}

async function work(id: CaseId, i: number, admin: PersonId): Promise<void> {
  const cases = core.cases;
  if (i % 4 !== 3) { later(1 + (i % 30)); await cases.acknowledge(id, admin); }
  if (i % 3 !== 2) { later(2 + (i % 50)); await cases.addUpdate(id, admin, 'On it'); }
  if (i % 5 === 1) await cases.reassign(id, admin, who('rm.city'));
  if (i % 7 === 2) await cases.reroute(id, admin, { wardId: asWardId(WARDS[(i + 1) % 3]!), serviceId: asServiceId('street-cleaning') });
  if (i % 2 === 0) { later(24 * (1 + (i % 9))); await cases.resolve(id, admin, 'Done'); }
  if (i % 8 === 0) { later(30); await cases.reopen(id, admin, 'Back again'); }
  if (i % 8 === 4) { later(2); await cases.close(id, admin); }
}

const range = () => ({ ...yearRange(2026, ZONE), now: new Date('2026-11-20T12:00:00Z'), zone: ZONE });

function expectSameFigures(rollup: AreaFigures, live: AreaFigures) {
  const { medianAcknowledgeHours: a1, medianRespondHours: r1, ...counts } = rollup;
  const { medianAcknowledgeHours: a2, medianRespondHours: r2, ...exact } = live;
  expect(counts).toEqual(exact);
  for (const [m, e] of [[a1, a2], [r1, r2]] as const) {
    expect(m === null).toBe(e === null);
    // Within half a bucket of the exact median (both middle values may sit in different buckets).
    if (m !== null && e !== null) expect(Math.abs(m - e)).toBeLessThanOrEqual(halfBucketAt(e) + 1e-9);
  }
}
/** Half the widest bucket either middle value can be in: below 48 h when the median is below 24 h, and so on. */
const halfBucketAt = (hours: number) => (hours < 24 ? 0.05 : hours < 720 ? 1.2 : 12);

async function rollupRows(): Promise<string[]> {
  const db = core.dbh.db;
  const out: string[] = [];
  for (const table of ['case_stats_monthly', 'case_stats_daily', 'case_stats_hist', 'case_stats_due']) {
    const rows = rowsOf(await db.execute(sql.raw(`select to_jsonb(t) - 'dim' - 'k1' - 'k2' - 'k3' - 'month' - 'day' - 'measure' - 'bucket' as v, t.* from ${table} t`)));
    for (const r of rows) {
      const { v, ...key } = r;
      const values = typeof v === 'string' ? JSON.parse(v) as Record<string, number> : v as Record<string, number>;
      if (Object.values(values).some((n) => n !== 0)) out.push(`${table} ${JSON.stringify(key)}`);
    }
  }
  return out.sort();
}

describe('the dashboards\' rollup', () => {
  it('equals a direct recomputation over cases after acknowledgements, resolutions, reopenings and moves', async () => {
    expect(await ensureDashboardStats(core.dbh.db, ZONE)).toBe(true);
    await seedCases();
    const db = core.dbh.db;
    const areas: DashboardArea[] = [{}, { wardIds: ['erdington'] }, { wardIds: ['erdington', 'kingstanding'] }, { topic: 'fly-tipping' }, { serviceIds: ['street-cleaning'] }];
    for (const area of areas) {
      const [rollup, live] = [await loadAreaFigures(db, area, range()), await loadAreaFiguresLive(db, area, range())];
      expect(live.newCount, JSON.stringify(area)).toBeGreaterThan(0);
      expectSameFigures(rollup, live);
    }
    for (const service of ['waste-enforcement', 'street-cleaning']) {
      const rollup = await loadServiceScorecard(db, service, range());
      const live = await loadServiceScorecardLive(db, service, range());
      expect(rollup.map(({ medianAcknowledgeHours: _a, medianRespondHours: _r, ...x }) => x))
        .toEqual([...live].sort((a, b) => b.cases - a.cases || (a.personId ?? '').localeCompare(b.personId ?? '')).map(({ medianAcknowledgeHours: _a, medianRespondHours: _r, ...x }) => x));
    }
  }, 120_000);

  it('counts overdue cases, and each officer\'s, as a direct count does at any moment, a deadline before, on or after it', async () => {
    const db = core.dbh.db;
    const deadlines = rowsOf(await db.execute(sql`select distinct overdue_at from cases where overdue_at is not null order by 1`)).map((x) => new Date(x.overdue_at as string));
    expect(deadlines.length).toBeGreaterThan(5);
    const moments = deadlines.filter((_, i) => i % 3 === 0).flatMap((d) => [-1, 0, 1, 3_600_000].map((ms) => new Date(d.getTime() + ms)));
    const areas: DashboardArea[] = [{}, { wardIds: ['erdington'] }, { topic: 'fly-tipping' }, { serviceIds: ['waste-enforcement'] }];
    const seen = new Set<number>();
    for (const now of moments) {
      for (const area of areas) {
        const r = { ...range(), now };
        const [rollup, live] = [await loadAreaFigures(db, area, r), await loadAreaFiguresLive(db, area, r)];
        expect(rollup.overdueCount, `${JSON.stringify(area)} at ${now.toISOString()}`).toBe(live.overdueCount);
        seen.add(live.overdueCount);
      }
      for (const service of ['waste-enforcement', 'street-cleaning']) {
        const overdueOf = (xs: { personId: string | null; overdue: number }[]) => xs.map((x) => `${x.personId ?? ''}:${x.overdue}`).sort();
        const r = { ...range(), now };
        expect(overdueOf(await loadServiceScorecard(db, service, r)), `${service} at ${now.toISOString()}`).toEqual(overdueOf(await loadServiceScorecardLive(db, service, r)));
      }
    }
    // The moments cover none overdue up to many.
    expect(seen.size).toBeGreaterThan(3);
  }, 120_000);

  it('is what building it from scratch gives', async () => {
    const kept = await rollupRows();
    expect(kept.length).toBeGreaterThan(50);
    expect(await ensureDashboardStats(core.dbh.db, ZONE)).toBe(false);
    expect(await ensureDashboardStats(core.dbh.db, ZONE, { force: true })).toBe(true);
    expect(await rollupRows()).toEqual(kept);
  });

  it('never counts a restricted service\'s topics and answers ranges that are not whole months directly', async () => {
    const db = core.dbh.db;
    const figures = await loadAreaFigures(db, { wardIds: [...WARDS] }, range());
    const restrictedTopics = rowsOf(await db.execute(sql`select distinct topic from cases where service_id = 'housing-management' and topic is not null`));
    expect(restrictedTopics.length).toBeGreaterThan(0);
    const live = await loadAreaFiguresLive(db, { wardIds: [...WARDS] }, range());
    expect(figures.topTopics).toEqual(live.topTopics);
    const part = { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-06-17T00:00:00Z'), now: range().now, zone: ZONE };
    expect(await loadAreaFigures(db, { topic: 'litter' }, part)).toEqual(await loadAreaFiguresLive(db, { topic: 'litter' }, part));
  });
});

describe('a topic ward by ward (the thematic dashboard)', () => {
  /** Counted here from every case, in JavaScript: new in the range and open now, per ward, restricted services left out. */
  async function expected(topic: string, from: Date, to: Date) {
    const rows = rowsOf(await core.dbh.db.execute(sql`select c.ward_id, c.status, c.created_at, coalesce(s.restricted, false) as restricted
      from cases c left join services s on s.id = c.service_id where c.topic = ${topic}`));
    const open = new Set(['new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'reopened']);
    const by = new Map<string, { wardId: string; newCount: number; openCount: number }>();
    for (const x of rows) {
      if (x.restricted === true || x.ward_id === null) continue;
      const at = new Date(x.created_at as string);
      const w = by.get(String(x.ward_id)) ?? { wardId: String(x.ward_id), newCount: 0, openCount: 0 };
      w.newCount += at >= from && at < to ? 1 : 0;
      w.openCount += open.has(String(x.status)) ? 1 : 0;
      by.set(w.wardId, w);
    }
    return [...by.values()].filter((w) => w.newCount || w.openCount)
      .sort((a, b) => b.newCount - a.newCount || b.openCount - a.openCount || a.wardId.localeCompare(b.wardId));
  }

  it('counts each ward\'s new and open cases of the topic as a direct count does, from the rollup and directly, without restricted services', async () => {
    const db = core.dbh.db;
    clock.set(new Date('2026-10-02T09:00:00Z'));
    for (const [ward, service] of [['erdington', 'street-cleaning'], ['kingstanding', 'street-cleaning'], ['kingstanding', 'waste-enforcement'], ['erdington', 'housing-management']]) {
      await core.cases.openCase(who('cllr.erd'), { serviceId: asServiceId(service!), wardId: asWardId(ward!), urgent: false, topic: 'litter',
        location: 'High Street', summary: 'Litter', description: 'Litter' } as never);
    }
    const hidden = rowsOf(await db.execute(sql`select count(*)::int as n from cases where topic = 'litter' and service_id = 'housing-management'`));
    expect(Number(hidden[0]!.n)).toBeGreaterThan(0);
    const year = range();
    const byWard = await loadTopicByWard(db, 'litter', year);
    expect(byWard.map((w) => w.wardId)).toEqual(expect.arrayContaining(['erdington', 'kingstanding']));
    expect(byWard).toEqual(await expected('litter', year.from, year.to));
    const all = rowsOf(await db.execute(sql`select count(*)::int as n from cases where topic = 'litter' and created_at >= ${year.from.toISOString()}::timestamptz and created_at < ${year.to.toISOString()}::timestamptz`));
    expect(byWard.reduce((n, w) => n + w.newCount, 0)).toBeLessThan(Number(all[0]!.n));
    const part = { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-09-17T00:00:00Z'), now: year.now, zone: ZONE };
    expect(await loadTopicByWard(db, 'litter', part)).toEqual(await expected('litter', part.from, part.to));
    expect(await loadTopicByWard(db, 'no-such-topic', year)).toEqual([]);
  });
});

describe('the dashboards\' rollup on the embedded database (PGlite)', () => {
  it('is kept in step with case changes and equals a direct recomputation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-rollup-'));
    const postgresCore = core;
    try {
      core = await openCore(loadConfig({ WARDLINE_DATA_DIR: dir, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
      people = await seedFixtureDirectory(core.dbh.db);
      expect(await ensureDashboardStats(core.dbh.db, ZONE)).toBe(true);
      await seedCases(12);
      for (const area of [{}, { wardIds: ['erdington'] }, { topic: 'litter' }] as DashboardArea[]) {
        expectSameFigures(await loadAreaFigures(core.dbh.db, area, range()), await loadAreaFiguresLive(core.dbh.db, area, range()));
      }
      const kept = await rollupRows();
      await ensureDashboardStats(core.dbh.db, ZONE, { force: true });
      expect(await rollupRows()).toEqual(kept);
    } finally {
      await core.close();
      core = postgresCore;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
