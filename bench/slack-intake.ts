/**
 * Signed `app_mention` escalations against wardline's /slack/events: real `wardline start`
 * processes on real PostgreSQL and Redis, a fake Slack Web API on loopback, and in the same run a
 * bare Bolt app that only acks (the ack baseline). Prints, never asserts:
 *  - acks/s and ack p50/p99 per rate, against the bare app;
 *  - cases/s handled end to end (first ack → last case committed with its RM card in the outbox),
 *    the lag from ack to case (p50, p99), the workers' CPU per case, and the statements the database ran
 *    per case (pg_stat_statements; BENCH_QUERIES=FILE appends the busiest of each phase there);
 *  - the load average beside each phase (the machine may be shared); BENCH_PROF=1 writes CPU profiles to /tmp/wlprof-*;
 *  - RSS of each process before, at peak and after (5 s after the last case), the processes run with
 *    the container image's NODE_OPTIONS (BENCH_NODE_OPTIONS= for Node's defaults);
 *  - with --role all, one process taking a burst of --burst events sent at once;
 *  - with --scale W,M, the same rate on W web and M worker processes against the 1 + 1 figures.
 * Every event must become exactly one case. Targets: ≥ 300 cases/s handled (1 + 1), acks p99 ≤ 50 ms
 * at 500/s, role all acks p99 ≤ 1 s through a 2,000 burst, RSS ≤ 250 MB per process.
 *   npx tsx bench/slack-intake.ts [--seconds 4] [--rates 250,500] [--scale 2,2] [--worker-nice 10] [--batch 50]
 *     [--no-baseline] [--drain-timeout 150]   (the baseline setup handles stored events one transaction each)
 *   npx tsx bench/slack-intake.ts --role all [--burst 2000]
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { linkChatIdentity, loadPeople } from '../src/db/directory-repo.js';
import { freePort } from '../src/jobs/redis-server.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { runCli } from '../test/support/cli.js';
import {
  SECRET, deployedNodeOptions, countCases, countDuplicates, countRmCards, handlingFigures, load, procStat, queryCounter, rssSampler, startChild, waitReady, watchCases, type Load,
} from './slack-intake-kit.js';
import { fmt, percentile, startBenchServers } from './support.js';

const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt);
const SECONDS = Number(arg('--seconds', '4'));
const RATES = arg('--rates', '250,500').split(',').map(Number);
const ROLE = arg('--role', 'split');
const BURST = Number(arg('--burst', '2000'));
const SCALE = process.argv.includes('--scale') ? arg('--scale', '2,2').split(',').map(Number) as [number, number] : null;
const NICE = arg('--worker-nice', '10');
const BATCH = arg('--batch', '50');
const BASELINE = !process.argv.includes('--no-baseline');
const DRAIN_S = Number(arg('--drain-timeout', '150'));

const servers = await startBenchServers(`bench_slack_${process.pid}`, ['shared_preload_libraries=pg_stat_statements']);
const api = new FakeSlackApi();
const children: ChildProcess[] = [];
const procs: { name: string; pid: number; child: ChildProcess }[] = [];
const rss = rssSampler(() => procs.map((p) => p.pid));
const db = servers.dbh.db;
const queries = await queryCounter(db);
/** BENCH_QUERIES=FILE: the busiest statements of each phase are appended there. */
const QUERY_LOG = process.env.BENCH_QUERIES;

/** Starts `web` web processes and `workers` workers (or one `all` process); returns the event URLs. */
async function startSet(env: Record<string, string>, web: number, workers: number, all: boolean): Promise<string[]> {
  const urls: string[] = [];
  const prof = (name: string) => (process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=/tmp/wlprof-${name}`] : []);
  for (let i = 0; i < (all ? 1 : web); i++) {
    const port = await freePort();
    const child = await startChild(process.execPath, [...prof(all ? 'all' : 'web'), 'bin/wardline.js', 'start', '--role', all ? 'all' : 'web'], { ...env, PORT: String(port) }, null);
    children.push(child);
    procs.push({ name: all ? 'all' : `web${i + 1}`, pid: child.pid!, child });
    await waitReady(`http://127.0.0.1:${port}/readyz`);
    urls.push(`http://127.0.0.1:${port}/slack/events`);
  }
  // Sharing one machine, workers run at a lower priority: acks have Slack's 3-second deadline.
  for (let i = 0; i < (all ? 0 : workers); i++) {
    const child = await startChild('nice', ['-n', NICE, process.execPath, ...prof('worker'), 'bin/wardline.js', 'start', '--role', 'worker'], { ...env, LOG_LEVEL: 'info' }, /"msg":"wardline (worker )?is/);
    children.push(child);
    procs.push({ name: `worker${i + 1}`, pid: child.pid!, child });
  }
  return urls;
}

async function stopSet(): Promise<void> {
  for (const p of procs.splice(0)) p.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 2000));
}

const ackCols = (l: Load) => `${fmt(l.ok / l.seconds).padStart(7)} acks/s  p50 ${fmt(percentile(l.ms, 50), 1).padStart(6)} ms  p99 ${fmt(percentile(l.ms, 99), 1).padStart(7)} ms`;
const cpu = (prefix: string) => procs.filter((p) => p.name.startsWith(prefix)).reduce((s, p) => s + procStat(p.pid).cpuS, 0);

/** One measured phase: load at `rate` (Infinity: a burst of `total`), then waits for every case. */
async function phase(urls: string[], rate: number, first: number, total?: number) {
  const before = new Map(procs.map((p) => [p.pid, procStat(p.pid).rssMb]));
  const workerCpu = cpu(ROLE === 'all' ? 'all' : 'worker');
  rss.reset();
  await queries.mark();
  const l = await load(urls, rate, SECONDS, first, total);
  const watched = await watchCases(db, first, first + l.sent, DRAIN_S * 1000);
  const handled = handlingFigures(l, watched.committedAt);
  const cases = Math.max(1, watched.committedAt.length);
  const cpuMs = ((cpu(ROLE === 'all' ? 'all' : 'worker') - workerCpu) * 1000) / cases;
  const q = await queries.since();
  if (QUERY_LOG) appendFileSync(QUERY_LOG, `\n## ${procs.map((p) => p.name).join(' ')} at ${rate}/s, ${cases} cases\n${q.top.map((t) => `${(t.calls / cases).toFixed(2).padStart(7)}  ${t.query.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}\n`);
  const loadAvg = loadavg().map((x) => x.toFixed(1)).join(' ');
  const perCase = q.total / cases;
  await new Promise((r) => setTimeout(r, 5000));
  const mem = procs.map((p) => `${p.name} ${fmt(before.get(p.pid)!, 0)}/${fmt(rss.peak(p.pid), 0)}/${fmt(procStat(p.pid).rssMb, 0)}`).join(', ');
  return { l, handled, cpuMs, mem, done: watched.done, perCase, loadAvg };
}

const cleanUp = async () => {
  rss.stop();
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  await api.stop();
  await servers.stop();
};
// Stopped early (Ctrl+C, a timeout): every process started here goes too.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { void cleanUp().finally(() => process.exit(130)); });

type Setup = { label: string; web: number; workers: number; batch: string };
const line = (rate: number, r: Awaited<ReturnType<typeof phase>>, bareRate: number, base?: number) => [
  `  ${String(rate).padStart(5)}/s for ${SECONDS} s: ${ackCols(r.l)} (ack ratio to bare Bolt ${fmt(r.l.ok / r.l.seconds / bareRate, 2)}×)`,
  `     handled ${fmt(r.handled.rate)} cases/s${base ? ` (${fmt(r.handled.rate / base, 2)}× the first setup)` : ''}; lag ack → case p50 ${fmt(r.handled.lagP50 / 1000, 2)} s, p99 ${fmt(r.handled.lagP99 / 1000, 2)} s; worker CPU ${fmt(r.cpuMs, 2)} ms a case; ${fmt(r.perCase, 1)} queries a case (web and worker)${r.done ? '' : ` (NOT all handled within ${DRAIN_S} s)`}`,
  `     load average ${r.loadAvg}`,
  `     RSS MB ${r.mem}`,
].join('\n');

try {
  const apiUrl = await api.start();
  // The channels the load writes in have names, as in a real workspace (a lookup per channel, then kept).
  for (let c = 0; c < 500; c++) api.channelNames.set(`C${String(c).padStart(8, '0')}`, `bench-${c}`);
  const seeded = await runCli(['seed', '--demo'], { env: { DATABASE_URL: servers.databaseUrl } });
  if (seeded.code !== 0) throw new Error(seeded.stderr);
  const people = await loadPeople(db);
  for (const [i, p] of people.entries()) if (!p.slackUserId) await linkChatIdentity(db, 'slack', `U0BENCH${String(i).padStart(3, '0')}`, p.id);
  await linkChatIdentity(db, 'slack', 'U0BENCHCLLR', people.find((p) => p.email === 'cllr.hussain@birmingham.example')!.id);
  const node = deployedNodeOptions();
  console.log(`wardline's processes run with NODE_OPTIONS=${node.options || '(none)'} (${node.from === 'image' ? 'the container image\'s' : 'BENCH_NODE_OPTIONS'})`);
  const env = {
    DATABASE_URL: servers.databaseUrl, REDIS_URL: servers.redis.url, LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl,
    NODE_OPTIONS: node.options,
  };
  const barePort = await freePort();
  children.push(await startChild(process.execPath, ['--import', 'tsx', 'bench/bare-bolt.ts'], { PORT: String(barePort), SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl }, /ready \d+/));
  const bareUrl = [`http://127.0.0.1:${barePort}/slack/events`];
  await load(bareUrl, 200, 1, 0);
  let sent = 0;
  // The same run measures the baseline: stored events handled one transaction each (batch 1).
  const setups: Setup[] = ROLE === 'all' ? [{ label: 'role all, one process', web: 1, workers: 0, batch: BATCH }] : [
    ...(BASELINE ? [{ label: '1 web + 1 worker, one transaction per event (WARDLINE_INBOUND_BATCH=1)', web: 1, workers: 1, batch: '1' }] : []),
    { label: `1 web + 1 worker, batches of ${BATCH}`, web: 1, workers: 1, batch: BATCH },
    ...(SCALE ? [{ label: `${SCALE[0]} web + ${SCALE[1]} workers, batches of ${BATCH}`, web: SCALE[0], workers: SCALE[1], batch: BATCH }] : []),
  ];
  const first: Record<number, number> = {};
  for (const setup of setups) {
    const urls = await startSet({ ...env, WARDLINE_INBOUND_BATCH: setup.batch }, setup.web, setup.workers, ROLE === 'all');
    const warm = await load(urls, 100, 1, sent);
    await watchCases(db, sent, sent + warm.sent, DRAIN_S * 1000);
    sent += warm.sent;
    console.log(`${setup.label} (${procs.map((p) => p.name).join(', ')}${ROLE === 'all' ? '' : `, workers at nice ${NICE}`}); RSS MB as before/peak/after`);
    if (ROLE === 'all') {
      const bare = await load(bareUrl, Infinity, 0, 0, BURST);
      const r = await phase(urls, Infinity, sent, BURST);
      sent += r.l.sent;
      console.log(`  burst of ${BURST} at once: ${ackCols(r.l)}  p95 ${fmt(percentile(r.l.ms, 95), 1)} ms  max ${fmt(r.l.ms.at(-1) ?? NaN, 1)} ms`);
      console.log(`  bare Bolt, same burst: ${ackCols(bare)} (ack p99 ratio ${fmt(percentile(r.l.ms, 99) / percentile(bare.ms, 99), 1)}×)`);
      console.log(`     handled ${fmt(r.handled.rate)} cases/s; lag ack → case p50 ${fmt(r.handled.lagP50 / 1000, 2)} s, p99 ${fmt(r.handled.lagP99 / 1000, 2)} s; last case ${fmt(r.handled.lastAfterSendS, 1)} s after the last send; CPU ${fmt(r.cpuMs, 2)} ms a case; ${fmt(r.perCase, 1)} queries a case`);
      console.log(`     load average ${r.loadAvg}`);
      console.log(`     RSS MB ${r.mem}`);
    } else {
      for (const rate of RATES) {
        const bare = await load(bareUrl, rate, SECONDS, 0);
        const r = await phase(urls, rate, sent);
        sent += r.l.sent;
        first[rate] ??= r.handled.rate;
        console.log(line(rate, r, bare.ok / bare.seconds, setup === setups[0] ? undefined : first[rate]));
      }
    }
    await stopSet();
  }
  const cases = await countCases(db);
  const calls = new Map<string, number>();
  for (const c of api.calls) calls.set(c.method, (calls.get(c.method) ?? 0) + 1);
  console.log(`Slack Web API calls by wardline (the fake's count): ${[...calls].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ')}`);
  console.log(`events sent ${sent}, cases ${cases}, RM cards in the outbox ${await countRmCards(db)}, duplicated cases ${await countDuplicates(db)} (every event a case exactly once: ${cases === sent ? 'yes' : `not yet known: ${sent - cases} still stored, unhandled, when the drain timeout ended`})`);
  console.log('targets: ≥ 300 cases/s handled with 1 + 1; acks p99 ≤ 50 ms at 500/s; role all acks p99 ≤ 1 s through a 2,000 burst; RSS ≤ 250 MB a process');
} finally {
  await cleanUp();
}
