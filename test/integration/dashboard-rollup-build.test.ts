import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { yearRange } from '../../src/dashboards/dashboard-model.js';
import { loadAreaFiguresLive } from '../../src/db/dashboard-live.js';
import { loadAreaFigures, rowsOf } from '../../src/db/dashboard-repo.js';
import { buildDashboardStatsBatch, dashboardStatsState, ensureDashboardStats } from '../../src/db/dashboard-stats-build.js';
import { createSessionRepo } from '../../src/db/session-repo.js';
import type { Person } from '../../src/directory/person.js';
import { openCore, type Core } from '../../src/main.js';
import { FixedClock } from '../../src/shared/clock.js';
import { asServiceId, asWardId, type CaseId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { trackerDepsFromCore } from '../../src/web/tracker/mount.js';
import { registerTracker } from '../../src/web/tracker/tracker.js';
import { createWebApp } from '../../src/web/server.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase } from '../support/test-db.js';

/*
 * After an upgrade the rollup is built again from every case. It is built in batches, without a
 * lock on `cases`: case writes carry on meanwhile, and every case ends up counted exactly once.
 */
const ZONE = 'Europe/London';
const WARDS = ['erdington', 'kingstanding', 'gravelly-hill'] as const;
const SERVICES = ['waste-enforcement', 'street-cleaning'] as const;
let core: Core;
let people: Map<string, Person>;
const clock = new FixedClock('2026-03-02T10:00:00Z');
const who = (email: string) => people.get(`${email}@birmingham.example`)!.id;
const ids: CaseId[] = [];

async function openOne(i: number): Promise<CaseId> {
  clock.set(new Date(Date.UTC(2026, i % 10, 1 + (i % 27), 9)));
  const c = await core.cases.openCase(who('cllr.erd'), {
    serviceId: asServiceId(SERVICES[i % 2]!), wardId: asWardId(WARDS[i % 3]!), urgent: false, topic: i % 2 ? 'litter' : 'fly-tipping',
    location: `Road ${i}`, summary: `Case ${i}`, description: `Case ${i}`,
  });
  ids.push(c.id);
  return c.id;
}

beforeAll(async () => {
  const db = await createTestDatabase();
  await db.close();
  core = await openCore(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), createLogger('silent'), { clock });
  people = await seedFixtureDirectory(core.dbh.db);
  for (let i = 0; i < 30; i++) await openOne(i);
}, 60_000);
afterAll(async () => { await core?.close(); });

/** As after an upgrade that changed the rollup: the stored one is of an older version. */
const markOutdated = () => core.dbh.db.execute(sql`update case_stats_meta set version = 1 where id = 1`);
const range = () => ({ ...yearRange(2026, ZONE), now: new Date('2026-11-20T12:00:00Z'), zone: ZONE });
const caseCount = async () => Number(rowsOf(await core.dbh.db.execute(sql`select count(*) as n from cases`))[0]!.n);

/** Every non-zero figure the rollup holds, as sorted lines. */
async function rollupRows(): Promise<string[]> {
  const out: string[] = [];
  for (const table of ['case_stats_monthly', 'case_stats_daily', 'case_stats_hist', 'case_stats_due']) {
    for (const r of rowsOf(await core.dbh.db.execute(sql.raw(`select * from ${table}`)))) {
      const figures = Object.entries(r).filter(([k]) => ['created', 'open', 'acknowledged', 'ack_on_time', 'ack_pending', 'responded', 'resp_on_time', 'resp_pending', 'resolved', 'n'].includes(k));
      if (figures.some(([, v]) => Number(v) !== 0)) out.push(`${table} ${JSON.stringify(r)}`);
    }
  }
  return out.sort();
}

describe('building the dashboards\' rollup in batches', () => {
  it('counts a batch at a time, says how far it has come, and answers from cases until it is done', async () => {
    const db = core.dbh.db;
    await ensureDashboardStats(db, ZONE);
    await markOutdated();
    expect(await dashboardStatsState(db, ZONE)).toEqual({ kind: 'missing' });
    const total = await caseCount();
    expect(await buildDashboardStatsBatch(db, ZONE, { batchCases: 7 })).toEqual({ kind: 'building', done: 7, total });
    expect(await dashboardStatsState(db, ZONE)).toEqual({ kind: 'building', done: 7, total });
    // Half built, the figures come from the cases themselves, not from a partial rollup.
    expect(await loadAreaFigures(db, { wardIds: ['erdington'] }, range())).toEqual(await loadAreaFiguresLive(db, { wardIds: ['erdington'] }, range()));
    const done: number[] = [];
    for (let state = await buildDashboardStatsBatch(db, ZONE, { batchCases: 7 }); state.kind !== 'ready'; state = await buildDashboardStatsBatch(db, ZONE, { batchCases: 7 })) {
      if (state.kind === 'building') done.push(state.done);
    }
    expect(total).toBe(30);
    expect(done).toEqual([14, 21, 28]); // then a last batch of the 2 left, and it is ready
    expect(await dashboardStatsState(db, ZONE)).toEqual({ kind: 'ready' });
    const built = await rollupRows();
    await ensureDashboardStats(db, ZONE, { force: true });
    expect(built).toEqual(await rollupRows());
  }, 60_000);

  it('lets cases be opened and worked while it is built, and counts every case exactly once', async () => {
    const db = core.dbh.db;
    await markOutdated();
    const admin = who('admin');
    const statesSeenByWrites: string[] = [];
    const build = (async () => {
      for (let s = await buildDashboardStatsBatch(db, ZONE, { batchCases: 2 }); s.kind !== 'ready';) s = await buildDashboardStatsBatch(db, ZONE, { batchCases: 2 });
    })();
    const work = (async () => {
      for (let i = 0; i < 12; i++) {
        const id = ids[(i * 7) % ids.length]!;
        if (i % 4 === 0) await openOne(100 + i);
        else if (i % 4 === 1) await core.cases.acknowledge(id, admin).catch(() => undefined);
        else if (i % 4 === 2) await core.cases.resolve(id, admin, 'Done').catch(() => undefined);
        else await core.cases.reroute(id, admin, { wardId: asWardId('kingstanding'), serviceId: asServiceId('street-cleaning') }).catch(() => undefined);
        statesSeenByWrites.push((await dashboardStatsState(db, ZONE)).kind);
      }
    })();
    await Promise.all([build, work]);
    // Writes finished while the build was still under way: nothing waited for the whole build.
    expect(statesSeenByWrites).toContain('building');
    const counted = await rollupRows();
    await ensureDashboardStats(db, ZONE, { force: true });
    expect(counted).toEqual(await rollupRows());
  }, 60_000);

  it('is built in the background of the tracker, whose dashboards say the figures are being prepared until then', async () => {
    await markOutdated();
    // An upgrade's build already under way (one batch counted) when the web process starts.
    expect((await buildDashboardStatsBatch(core.dbh.db, ZONE, { batchCases: 1 })).kind).toBe('building');
    const session = (await createSessionRepo(core.dbh.db).create(clock.now(), { personId: who('admin'), method: 'demo' })).id;
    const app = await createWebApp({
      logger: core.logger, metrics: core.metrics, readiness: [],
      plugins: [(i) => registerTracker(i, { ...trackerDepsFromCore(core), demo: true, providers: [], statsBatchCases: 1, statsWaitMs: 0 })],
    });
    try {
      const get = async (url: string) => (await app.inject({ url, headers: { cookie: `wl_session=${session}` } }));
      const first = await get('/wards/erdington?year=2026');
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('Figures are being prepared');
      expect(first.body).toMatch(/\d+% done \(\d+ of \d+ cases\)/);
      expect(first.body).not.toContain('Trend by week');
      await expect.poll(async () => (await get('/wards/erdington?year=2026')).body, { timeout: 30_000, interval: 200 }).toContain('Trend by week');
      expect(await dashboardStatsState(core.dbh.db, ZONE)).toEqual({ kind: 'ready' });
    } finally {
      await app.close();
    }
  }, 60_000);
});
