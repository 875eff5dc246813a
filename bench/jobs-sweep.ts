/**
 * The SLA sweep over 100 k open cases: time when nothing is due (target ≤ 10 ms), against a bare
 * index probe in the same run. Prints, never asserts.
 *   npx tsx bench/jobs-sweep.ts [--cases 100000]
 */
import { sql } from 'drizzle-orm';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { DEFAULT_REMINDER_SETTINGS } from '../src/cases/sla-plan.js';
import { createWorkingCalendar } from '../src/cases/working-time.js';
import { syncCatalogue } from '../src/db/catalogue-repo.js';
import { runSlaSweep } from '../src/jobs/sla-sweep.js';
import { startJobRuntime } from '../src/jobs/job-runtime.js';
import { nextCheckDue } from '../src/db/sla-sweep-repo.js';
import { createLogger } from '../src/shared/logger.js';
import { FixedClock } from '../src/shared/clock.js';
import { fmt, percentile, startBenchServers, timeIt } from './support.js';

const argCases = process.argv.indexOf('--cases');
const N = argCases > 0 ? Number(process.argv[argCases + 1]) : 100_000;
const servers = await startBenchServers('bench_sweep');
const { db } = servers.dbh;
try {
  await syncCatalogue(db, loadDefaultCatalogue());
  await db.execute(sql`insert into people (email, name, roles) values ('bench@birmingham.example', 'Bench', '{councillor}')`);
  await db.execute(sql`
    insert into cases (status, urgency, summary, description, raised_by_id, ward_id, service_id, created_at, updated_at, acknowledge_by, respond_by)
    select 'routed', 'normal', 'Generated', 'x', (select id from people limit 1), 'erdington', 'waste-enforcement',
      timestamptz '2026-11-02 10:00', timestamptz '2026-11-02 10:00',
      timestamptz '2026-11-20 17:00' + (i % 1000) * interval '1 minute', timestamptz '2026-12-20 17:00'
    from generate_series(1, ${N}) i`);
  await db.execute(sql`insert into sla_checks (case_id, due_at) select id, acknowledge_by - interval '4 hours' from cases`);
  await db.execute(sql`analyze`);
  const clock = new FixedClock('2026-11-10T10:00:00Z');
  const deps = {
    db, clock, calendar: createWorkingCalendar({ zone: 'Europe/London', startHour: 9, endHour: 17 }), settings: DEFAULT_REMINDER_SETTINGS,
    loadContext: async () => { throw new Error('not needed when nothing is due'); }, notify: () => [],
  };
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 200; i++) {
    ours.push((await timeIt(() => runSlaSweep(deps))).ms);
    bare.push((await timeIt(() => db.execute(sql`select case_id from sla_checks where due_at <= ${clock.now().toISOString()}::timestamptz limit 1`))).ms);
  }
  ours.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  console.log(`sweep with nothing due over ${N} open cases: p50 ${fmt(percentile(ours, 50), 2)} ms, p99 ${fmt(percentile(ours, 99), 2)} ms (target ≤ 10 ms)`);
  console.log(`bare index probe: p50 ${fmt(percentile(bare, 50), 2)} ms; ratio ${fmt(percentile(ours, 50) / percentile(bare, 50), 2)}×`);

  // Lateness: 300 checks fall due at scattered moments over the next 50 s; the real job runtime
  // (BullMQ on Redis, the every-minute scheduler plus its wake-ups) picks them up. Each check's
  // lateness is when a sweep took it minus when it fell due.
  await db.execute(sql`update sla_checks set due_at = now() + interval '365 days'`);
  await db.execute(sql`update sla_checks set due_at = now() + (random() * 50 + 2) * interval '1 second'
    where case_id in (select case_id from sla_checks order by case_id limit 300)`);
  const lateness: number[] = [];
  const runtime = await startJobRuntime({
    redisUrl: servers.redis.url, prefix: `bench-sweep-${process.pid}`, zone: 'Europe/London', logger: createLogger('silent'), workers: true,
    handlers: {
      slaSweep: async () => {
        const due = await db.execute<{ due_at: string }>(sql`update sla_checks set due_at = due_at + interval '365 days' where due_at <= now() returning due_at - interval '365 days' as due_at`);
        const at = Date.now();
        for (const r of due as unknown as { due_at: string }[]) lateness.push(at - new Date(r.due_at).getTime());
        return { nextDueAt: await nextCheckDue(db) };
      },
      planDigests: async () => [], sendDigest: async () => undefined,
    },
  });
  const until = Date.now() + 70_000;
  while (lateness.length < 300 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  await runtime.stop();
  lateness.sort((a, b) => a - b);
  console.log(`reminder lateness over ${lateness.length} of 300 checks: p50 ${fmt(percentile(lateness, 50) / 1000, 2)} s, p99 ${fmt(percentile(lateness, 99) / 1000, 2)} s (target ≤ 5 s)`);
} finally {
  await servers.stop();
}
