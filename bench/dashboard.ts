/**
 * The Ward Action Tracker's pages over 1 M generated cases: each page's server time (p50/p95,
 * target p95 ≤ 300 ms) against a bare indexed count in the same run, and a 100 k-row CSV export
 * streamed over HTTP with the process's peak RSS growth. Prints, never asserts.
 *   npx tsx bench/dashboard.ts [--cases 1000000] [--runs 20] [--batch 1000] [--keep | --db postgres://…]
 * --keep leaves the generated database's server running and prints its address; --db measures
 * a database a --keep run left (its cases are not generated again).
 */
import { get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { recordCaseChange, snapshotCaseForStats } from '../src/db/dashboard-stats.js';
import { DEFAULT_BATCH_CASES, ensureDashboardStats } from '../src/db/dashboard-stats-build.js';
import { createSessionRepo } from '../src/db/session-repo.js';
import { openCore } from '../src/main.js';
import { createLogger } from '../src/shared/logger.js';
import { trackerDepsFromCore } from '../src/web/tracker/mount.js';
import { registerTracker } from '../src/web/tracker/tracker.js';
import { startWebServer } from '../src/web/server.js';
import { fmt, percentile, startBenchServers, timeIt } from './support.js';

const arg = (name: string, dflt: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const N = arg('--cases', 1_000_000);
const RUNS = arg('--runs', 20);
const BATCH = arg('--batch', DEFAULT_BATCH_CASES);
const given = process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : undefined;
const keep = process.argv.includes('--keep');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const servers = given ? null : await startBenchServers('bench_dashboard');
const core = await openCore(loadConfig({ DATABASE_URL: given ?? servers!.databaseUrl, LOG_LEVEL: 'silent' }), createLogger('silent'));
const { db } = core.dbh;
try {
  if (!given) await generate();
  const services = (await db.execute(sql`select id from services order by id`) as unknown as { id: string }[]).map((r) => r.id);

  const web = await startWebServer({
    host: '127.0.0.1', port: 0, logger: core.logger, metrics: core.metrics, readiness: [],
    plugins: [(i) => registerTracker(i, { ...trackerDepsFromCore(core), demo: true, providers: [] })],
  });
  const { app } = web;
  const admin = (await core.loadContext()).directory.byEmail.get('admin@birmingham.example')!;
  const session = await createSessionRepo(db).create(new Date(), { personId: admin.id, method: 'demo' });
  const cookie = `wl_session=${session.id}`;
  const year = new Date().getFullYear();
  const pages = ['/wards/erdington', '/themes/fly-tipping', `/services/${services[0]}`, '/cases', '/cases?ward=erdington&overdue=yes', '/cases?q=Bench%20Road&sort=due', '/cases?status=all&sort=oldest&after=500000'];
  const cold = await timeIt(() => app.inject({ url: '/wards/erdington', headers: { cookie } }));
  console.log(`first dashboard request (the city figures, then kept 5 min): ${fmt(cold.ms)} ms`);
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push((await timeIt(() => db.execute(sql`select count(*) from cases where ward_id = 'erdington' and created_at >= ${`${year}-01-01`}::timestamptz`))).ms);
  }
  bare.sort((a, b) => a - b);
  console.log(`baseline (indexed count of one ward's cases this year): p50 ${fmt(percentile(bare, 50))} ms, p95 ${fmt(percentile(bare, 95))} ms`);
  for (const path of pages) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await timeIt(() => app.inject({ url: path, headers: { cookie } }));
      if (r.value.statusCode !== 200) throw new Error(`${path}: ${r.value.statusCode}`);
      times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    console.log(`${path.padEnd(40)} p50 ${fmt(percentile(times, 50)).padStart(7)} ms  p95 ${fmt(p95).padStart(7)} ms  (${fmt(p95 / percentile(bare, 95))}× baseline p95)${p95 > 300 ? '  OVER 300 ms' : ''}`);
  }

  await measureWritesDuringRebuild();

  const port = Number(new URL(web.url).port);
  // The same export at 10 k rows (the baseline) and at 100 k: bounded memory is growth that does not follow the rows.
  const exports = [['10 k rows (baseline)', 'Baseline%20Lane'], ['100 k rows', 'Bench%20Road']] as const;
  const served: ExportFigures[] = [];
  for (const [label, q] of exports) served.push(report(label, await measureExport(port, `/cases/export.csv?status=all&q=${q}`, cookie)));
  console.log(`CSV export peak RSS growth at 10× the rows: ${ratio(growth(served[1]!), growth(served[0]!))}`);
  // Again with a full collection every second: what stays alive (live heap), apart from garbage not yet collected.
  const live: ExportFigures[] = [];
  for (const [label, q] of exports) live.push(report(`${label}, collecting every second`, await measureExport(port, `/cases/export.csv?status=all&q=${q}`, cookie, gc)));
  console.log(`CSV export live heap growth at 10× the rows: ${ratio(live[1]!.heapGrowth, live[0]!.heapGrowth)}`);
  await web.close();
} finally {
  await core.close();
  if (keep && servers) {
    await servers.dbh.close();
    await servers.redis.stop();
    console.log(`kept: --db ${servers.databaseUrl} (its server runs on: stop it with pg_ctl stop -D <its data dir>)`);
  } else await servers?.stop();
}

/** One year of cases, spread evenly, over 20 RMs and every ward, service and five topics; then the rollup. */
async function generate(): Promise<void> {
  await db.execute(sql`insert into people (email, name, roles) select 'rm' || i || '@birmingham.example', 'RM ' || i, '{rm}' from generate_series(1, 20) i`);
  await db.execute(sql`insert into people (email, name, roles) values ('admin@birmingham.example', 'Admin', '{admin}')`);
  const wards = (await db.execute(sql`select id from wards where ward_set = ${core.config.WARDLINE_WARD_SET} order by id`) as unknown as { id: string }[]).map((r) => r.id);
  const services = (await db.execute(sql`select id from services order by id`) as unknown as { id: string }[]).map((r) => r.id);
  const arr = (xs: string[]) => sql.raw(`(array[${xs.map((x) => `'${x}'`).join(',')}])`);
  // Generated rows reference known people, wards and services: skip the per-row foreign key checks.
  const gen = await timeIt(() => db.transaction(async (tx) => { await tx.execute(sql`set local session_replication_role = replica`); await tx.execute(sql`
    with rms as (select array_agg(id order by email) as ids from people where 'rm' = any(roles)),
         g as (select i, now() - (i::double precision / ${N}) * interval '365 days' as t from generate_series(1, ${N}) i)
    insert into cases (status, urgency, summary, description, raised_by_id, assignee_id, ward_id, service_id, topic, location, created_at, updated_at,
                       acknowledge_by, respond_by, acknowledged_at, responded_at, resolved_at)
    select case when t > now() - interval '30 days' then (array['routed','acknowledged','in_progress','resolved'])[1 + (i % 4)]
                else (array['resolved','closed','resolved','in_progress'])[1 + (i % 4)] end::case_status,
      'normal', 'Generated case', 'x', (select id from people where email = 'admin@birmingham.example'),
      (select ids from rms)[1 + (i % 20)], ${arr(wards)}[1 + (i % ${wards.length})], ${arr(services)}[1 + ((i / 7) % ${services.length})],
      (array['fly-tipping','potholes','litter','noise nuisance','street lights out'])[1 + (i % 5)],
      case when i % 10 = 0 then 'Bench Road' when i % 100 = 1 then 'Baseline Lane' else 'Street ' || (i % 997) end,
      t, t, t + interval '1 day', t + interval '5 days',
      case when i % 9 <> 0 then t + ((i % 40) || ' hours')::interval end,
      case when i % 9 <> 0 and i % 4 <> 0 then t + ((i % 130) || ' hours')::interval end,
      case when i % 4 in (0, 2) and t < now() - interval '30 days' then t + interval '6 days' end
    from g`); }));
  // As autovacuum would after a bulk load: statistics, and the visibility map index-only scans use.
  await db.execute(sql`vacuum (analyze) cases`);
  console.log(`generated ${N} cases in ${fmt(gen.ms / 1000)} s`);
  // Generated rows bypass the case store, so the dashboards' rollup is built once from them, as on an existing database.
  const built = await timeIt(() => ensureDashboardStats(db, core.config.TZ_COUNCIL));
  console.log(`dashboards' rollup built from ${N} cases in ${fmt(built.ms / 1000)} s, in batches of ${DEFAULT_BATCH_CASES} (once, on a database that has none)`);

}


interface ExportFigures { rows: number; bytes: number; ms: number; rssBefore: number; rssPeak: number; rssAfter: number; heapGrowth: number }

/** Downloads one export over HTTP, sampling this process's memory (the server's) every 5 ms; `collect` runs a full GC every second. */
async function measureExport(port: number, path: string, cookie: string, collect?: () => void): Promise<ExportFigures> {
  gc();
  const start = process.memoryUsage();
  let [rssPeak, heapPeak, livePeak] = [start.rss, start.heapUsed, start.heapUsed];
  const sample = () => { const m = process.memoryUsage(); rssPeak = Math.max(rssPeak, m.rss); heapPeak = Math.max(heapPeak, m.heapUsed); };
  const sampler = setInterval(sample, 5);
  const collector = collect ? setInterval(() => { collect(); livePeak = Math.max(livePeak, process.memoryUsage().heapUsed); sample(); }, 1000) : null;
  const got = await timeIt(() => new Promise<{ bytes: number; lines: number }>((ok, fail) => {
    get({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
      let bytes = 0;
      let lines = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; for (const b of c) if (b === 10) lines++; });
      res.on('end', () => ok({ bytes, lines }));
      res.on('error', fail);
    }).on('error', fail);
  }));
  clearInterval(sampler);
  if (collector) clearInterval(collector);
  // With collections, only the heap measured right after one is live; without, every sample counts.
  const heapGrowth = (collect ? livePeak : heapPeak) - start.heapUsed;
  return { rows: got.value.lines - 1, bytes: got.value.bytes, ms: got.ms, rssBefore: start.rss, rssPeak, rssAfter: process.memoryUsage().rss, heapGrowth };
}

function growth(f: ExportFigures): number {
  return f.rssPeak - f.rssBefore;
}

/** The ratio of two growths, each counted from 1 MB so that a baseline that hardly grew does not make it meaningless. */
function ratio(big: number, base: number): string {
  return `+${fmt(big / 1e6)} MB against +${fmt(base / 1e6)} MB, ${fmt(Math.max(big, 1e6) / Math.max(base, 1e6))}× (from 1 MB)`;
}

function report(label: string, f: ExportFigures): ExportFigures {
  const mb = (n: number) => fmt(n / 1e6);
  console.log(`CSV export, ${label}: ${f.rows} rows, ${mb(f.bytes)} MB in ${fmt(f.ms / 1000, 2)} s; RSS ${mb(f.rssBefore)} MB before, peak ${mb(f.rssPeak)} (+${mb(growth(f))}), after ${mb(f.rssAfter)}; heap peak +${mb(f.heapGrowth)} MB`);
  return f;
}

/** One case write as the case store makes it: the row, and the rollup moved in the same transaction. */
async function writeOneCase(id: string, k: number): Promise<number> {
  return (await timeIt(() => db.transaction(async (tx) => {
    const before = await snapshotCaseForStats(tx, id);
    await tx.execute(sql`update cases set topic = ${k % 2 ? 'litter' : 'potholes'} where id = ${id}`);
    await recordCaseChange(tx, id, before);
  }))).ms;
}

/**
 * Case writes while the rollup is rebuilt (as after an upgrade), against the same writes with no
 * rebuild: the rebuild goes in batches, so a write waits at most for one batch, not for the build.
 */
async function measureWritesDuringRebuild(): Promise<void> {
  const ids = (await db.execute(sql`select id::text as id from cases order by random() limit 400`) as unknown as { id: string }[]).map((r) => r.id);
  // The baseline: every case in one batch, as the build was before it went in batches (writes then waited for all of it).
  const whole = await timeIt(() => ensureDashboardStats(db, core.config.TZ_COUNCIL, { force: true, batchCases: 100_000_000 }));
  console.log(`rollup rebuilt in one batch (the baseline): ${fmt(whole.ms / 1000)} s`);
  const quiet: number[] = [];
  for (let k = 0; k < 100; k++) quiet.push(await writeOneCase(ids[k % ids.length]!, k));
  const during: number[] = [];
  let building = true;
  const rebuild = timeIt(() => ensureDashboardStats(db, core.config.TZ_COUNCIL, { force: true, batchCases: BATCH })).finally(() => { building = false; });
  for (let k = 0; building; k++) { during.push(await writeOneCase(ids[k % ids.length]!, k)); await new Promise((r) => setTimeout(r, 10)); }
  const built = await rebuild;
  [quiet, during].forEach((t) => t.sort((a, b) => a - b));
  console.log(`rollup rebuilt in batches of ${BATCH} in ${fmt(built.ms / 1000)} s (${fmt(built.ms / whole.ms)}× the baseline); ${during.length} case writes meanwhile: p50 ${fmt(percentile(during, 50))} ms, p95 ${fmt(percentile(during, 95))} ms, `
    + `max ${fmt(during.at(-1)!)} ms (no rebuild: p50 ${fmt(percentile(quiet, 50))} ms, p95 ${fmt(percentile(quiet, 95))} ms; ${fmt(percentile(during, 95) / percentile(quiet, 95))}× at p95)`);
}
