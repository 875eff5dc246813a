/**
 * `wardline people import` of 100 k generated people through the real CLI, first into an empty
 * directory (all new) and again with one person in ten changed, against a plain bulk insert of the same rows
 * (email, name, roles, one ward, one chat id) in the same run. Target: ≤ 30 s. Prints, never asserts.
 *   npx tsx bench/imports.ts [--people 100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { syncCatalogue } from '../src/db/catalogue-repo.js';
import { fmt, startBenchServers, timeIt } from './support.js';

const arg = process.argv.indexOf('--people');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const ROLES = ['councillor', 'rm', 'wac', 'senior_officer', 'manager'];

const servers = await startBenchServers('bench_imports');
const dir = mkdtempSync(join(tmpdir(), 'wardline-bench-imports-'));
try {
  const catalogue = loadDefaultCatalogue();
  await syncCatalogue(servers.dbh.db, catalogue);
  const wards = catalogue.wards.map((w) => w.id);
  const rows = Array.from({ length: N }, (_, i) => ({
    email: `person${i}@birmingham.example`, name: `Person ${i}`, role: ROLES[i % ROLES.length]!, ward: wards[i % wards.length]!, slack: `U${i.toString(36).toUpperCase().padStart(8, '0')}`,
  }));
  const file = join(dir, 'people.csv');
  writeFileSync(file, ['email,name,roles,wards,slack_user_id,teams_user_id', ...rows.map((r) => `${r.email},${r.name},${r.role},${r.ward},${r.slack},`)].join('\n'));

  const cli = (label: string, args = ['people', 'import', file, '--force']) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/wardline.js', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: servers.databaseUrl, LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
    console.log(`${label.padEnd(34)} ${fmt(s)} s  ${Math.round(N / s).toLocaleString('en-GB')} rows/s  (${r.stdout.trim()})`);
    return s;
  };
  const startup = cli('CLI start-up alone (migrate)', ['migrate']);
  const fresh = cli('people import (all new), CLI');
  // A typical re-import: the same directory with one person in ten renamed and moved.
  writeFileSync(file, ['email,name,roles,wards,slack_user_id,teams_user_id', ...rows.map((r, i) => i % 10 ? `${r.email},${r.name},${r.role},${r.ward},${r.slack},` : `${r.email},${r.name} Jr,${r.role},${wards[(i + 1) % wards.length]},${r.slack},`)].join('\n'));
  const again = cli('people import (10 % changed), CLI');

  // The baseline: the same rows written with one multi-row insert per 5,000, nothing else.
  await servers.dbh.db.execute(sql`create table bench_people (like people including all)`);
  await servers.dbh.db.execute(sql`create table bench_wards (person_id uuid, ward_id text)`);
  await servers.dbh.db.execute(sql`create table bench_ids (platform text, external_id text, person_id uuid)`);
  const base = await timeIt(() => servers.dbh.db.transaction(async (tx) => {
    for (let i = 0; i < N; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const ids = await tx.execute<{ id: string }>(sql`insert into bench_people (email, name, roles)
        values ${sql.join(chunk.map((r) => sql`(${r.email}, ${r.name}, ${`{${r.role}}`}::role[])`), sql`, `)} returning id`);
      const list = (Array.isArray(ids) ? ids : (ids as { rows: { id: string }[] }).rows) as { id: string }[];
      await tx.execute(sql`insert into bench_wards values ${sql.join(chunk.map((r, j) => sql`(${list[j]!.id}::uuid, ${r.ward})`), sql`, `)}`);
      await tx.execute(sql`insert into bench_ids values ${sql.join(chunk.map((r, j) => sql`('slack', ${r.slack}, ${list[j]!.id}::uuid)`), sql`, `)}`);
    }
  }));
  const baseS = base.ms / 1000;
  console.log(`${'baseline: plain bulk insert'.padEnd(34)} ${fmt(baseS)} s  ${Math.round(N / baseS).toLocaleString('en-GB')} rows/s`);
  console.log(`people: ${N}; import ÷ baseline: ${fmt(fresh / baseS)}× (new), ${fmt(again / baseS)}× (10 % changed); `
    + `without start-up: ${fmt((fresh - startup) / baseS)}×, ${fmt((again - startup) / baseS)}×; target ≤ 30 s: ${Math.max(fresh, again) <= 30 ? 'met' : 'NOT met'}; load average ${os.loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await servers.stop();
}
