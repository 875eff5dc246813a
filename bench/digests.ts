/**
 * Weekly digests for all 69 wards over 1 M generated cases, against one bare SQL aggregate over
 * the same rows in the same run. Target: ≤ 2 s and ≤ 3× the bare query. Prints, never asserts.
 *   npx tsx bench/digests.ts [--cases 1000000]
 */
import { sql } from 'drizzle-orm';
import { CatalogueIndex } from '../src/catalogue/catalogue.js';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { syncCatalogue } from '../src/db/catalogue-repo.js';
import { loadWardWeekAggregates } from '../src/db/digest-repo.js';
import { buildWardDigest, parseIsoWeek, previousWeeks } from '../src/digests/digest-model.js';
import { fmt, startBenchServers, timeIt } from './support.js';

const argCases = process.argv.indexOf('--cases');
const N = argCases > 0 ? Number(process.argv[argCases + 1]) : 1_000_000;
const zone = 'Europe/London';
const servers = await startBenchServers('bench_digests');
const { db } = servers.dbh;
try {
  const catalogue = loadDefaultCatalogue();
  await syncCatalogue(db, catalogue);
  await db.execute(sql`insert into people (email, name, roles) values ('bench@birmingham.example', 'Bench', '{councillor}')`);
  const wards = catalogue.wards.map((w) => w.id);
  const services = catalogue.services.map((s) => s.id);
  const gen = await timeIt(() => db.execute(sql`
    insert into cases (status, urgency, summary, description, raised_by_id, ward_id, service_id, topic, created_at, updated_at,
                       acknowledged_at, responded_at, resolved_at, respond_by)
    select (array['routed','acknowledged','in_progress','resolved','closed'])[1 + (i % 5)]::case_status, 'normal', 'Generated case', 'x',
      (select id from people limit 1),
      (${sql.raw(`array[${wards.map((w) => `'${w}'`).join(',')}]`)})[1 + (i % ${wards.length})],
      (${sql.raw(`array[${services.map((s) => `'${s}'`).join(',')}]`)})[1 + ((i / 7) % ${services.length})],
      (array['fly-tipping','potholes','litter','noise nuisance','street lights out'])[1 + (i % 5)],
      t, t, t + interval '3 hours', t + interval '2 days', case when i % 5 >= 3 then t + interval '4 days' end, t + interval '14 days'
    from (select i, timestamptz '2025-11-24' + (i::double precision / ${N}) * interval '364 days' as t from generate_series(1, ${N}) i) g`));
  await db.execute(sql`analyze cases`);
  console.log(`generated ${N} cases in ${fmt(gen.ms / 1000)} s`);

  const week = parseIsoWeek('2026-W47', zone);
  const previous = previousWeeks(week, 4, zone);
  const index = new CatalogueIndex(catalogue);
  const runs = 3;
  let best = Infinity;
  let bare = Infinity;
  for (let i = 0; i < runs; i++) {
    const ours = await timeIt(async () => {
      const aggs = await loadWardWeekAggregates(db, { wardIds: wards, week, previous });
      return aggs.map((a) => buildWardDigest(a, index, week));
    });
    best = Math.min(best, ours.ms);
    const b = await timeIt(() => db.execute(sql`
      select ward_id, count(*) filter (where created_at >= ${week.start.toISOString()}::timestamptz and created_at < ${week.end.toISOString()}::timestamptz), count(*) filter (where resolved_at is null)
      from cases group by ward_id`));
    bare = Math.min(bare, b.ms);
  }
  console.log(`digests for ${wards.length} wards over ${N} cases: ${fmt(best)} ms (target ≤ 2000 ms)`);
  console.log(`bare aggregate over the same rows: ${fmt(bare)} ms`);
  console.log(`ratio: ${fmt(best / bare, 2)}× the bare query (target ≤ 3×)`);
} finally {
  await servers.stop();
}
