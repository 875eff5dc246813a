/**
 * Signed `app_mention` escalations at a rising rate against wardline's /slack/events (a real
 * `wardline start` process on real PostgreSQL and Redis, a fake Slack Web API on loopback) and, in
 * the same run, against a bare Bolt app that only acks. Prints throughput, p50/p99 ack latency and
 * the ratio, and checks every event became a case exactly once. Prints, never asserts.
 * Targets: ≥ 500 events/s sustained, ≥ 50 % of the bare app's rate, p99 ack ≤ 50 ms.
 *   npx tsx bench/slack-intake.ts [--seconds 4] [--rates 100,250,500,750,1000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { sql } from 'drizzle-orm';
import { loadDefaultCatalogue } from '../src/catalogue/default-catalogue.js';
import { linkChatIdentity, loadPeople } from '../src/db/directory-repo.js';
import { freePort } from '../src/jobs/redis-server.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { runCli } from '../test/support/cli.js';
import { eventCallback, slackSignature } from '../test/support/slack-requests.js';
import { fmt, percentile, startBenchServers } from './support.js';

const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : dflt);
const SECONDS = Number(arg('--seconds', '4'));
const RATES = arg('--rates', '100,250,500,750,1000').split(',').map(Number);
const SECRET = 'bench-signing-secret';
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One POST on a kept-alive connection; resolves with the status. */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

const A = ['Ash', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Holly', 'Larch', 'Maple', 'Oak', 'Rowan', 'Willow', 'Yew', 'Alder', 'Beech', 'Poplar', 'Lime', 'Aspen', 'Juniper', 'Laurel', 'Myrtle'];
const B = ['field', 'wood', 'brook', 'ley', 'ton', 'ford', 'hurst', 'well', 'more', 'dale', 'gate', 'hill', 'side', 'croft', 'mead', 'stead', 'worth', 'bury', 'combe', 'holme'];
const T = ['Road', 'Lane', 'Street', 'Avenue', 'Grove', 'Close', 'Drive', 'Crescent'];
const wards = loadDefaultCatalogue().wards;
/** Event i: a distinct street in one of the 69 wards, so no two are the same problem. */
const textOf = (i: number) => {
  const s = Math.floor(i / wards.length);
  return `<@UBOT> fly-tipping again on ${A[s % 20]}${B[Math.floor(s / 20) % 20]} ${T[Math.floor(s / 400) % 8]}, ${wards[i % wards.length]!.name}, please send someone`;
};

function startChild(cmd: string, args: string[], env: Record<string, string>, ready: RegExp | null): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    if (!ready) ok(child);
    const onData = (d: Buffer) => { out = (out + d.toString()).slice(-20_000); if (ready?.test(out)) ok(child); if (process.env.BENCH_LOG) process.stderr.write(d); };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`${cmd} exited ${code}: ${out.slice(-2000)}`)));
  });
}

async function load(url: string, rate: number, first: number): Promise<{ sent: number; ok: number; ms: number[]; seconds: number }> {
  const ms: number[] = [];
  let ok = 0;
  let sent = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  const total = rate * SECONDS;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const i = first + sent;
      const ts = String(1_800_000_000 + i);
      const body = JSON.stringify(eventCallback({ type: 'app_mention', user: 'U0BENCHCLLR', text: textOf(i), ts: `${ts}.000100`, event_ts: `${ts}.000100`, channel: `C${String(i % 500).padStart(8, '0')}` }, `EvBENCH${i}`));
      const now = Math.floor(Date.now() / 1000);
      const t0 = performance.now();
      inflight.push(post(url, body, { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(body, now, SECRET) })
        .then((status) => { if (status === 200) ok++; ms.push(performance.now() - t0); }, () => undefined));
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  return { sent, ok, ms: ms.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

const servers = await startBenchServers(`bench_slack_${process.pid}`);
const api = new FakeSlackApi();
const children: ChildProcess[] = [];
try {
  const apiUrl = await api.start();
  const seeded = await runCli(['seed', '--demo'], { env: { DATABASE_URL: servers.databaseUrl } });
  if (seeded.code !== 0) throw new Error(seeded.stderr);
  const people = await loadPeople(servers.dbh.db);
  for (const [i, p] of people.entries()) if (!p.slackUserId) await linkChatIdentity(servers.dbh.db, 'slack', `U0BENCH${String(i).padStart(3, '0')}`, p.id);
  const cllr = people.find((p) => p.email === 'cllr.hussain@birmingham.example')!;
  await linkChatIdentity(servers.dbh.db, 'slack', 'U0BENCHCLLR', cllr.id);

  // As a council would run it for load: a web process that verifies, stores and acks, and a
  // worker process that handles what was stored and delivers the replies. Sharing one machine, the
  // worker runs at a lower priority (nice 10): acks have Slack's 3-second deadline, handling has none.
  const wlPort = await freePort();
  const env = { DATABASE_URL: servers.databaseUrl, REDIS_URL: servers.redis.url, LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl };
  const prof = (name: string) => (process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=/tmp/wlprof-${name}`] : []);
  children.push(await startChild(process.execPath, [...prof('web'), 'bin/wardline.js', 'start', '--role', 'web'], { ...env, PORT: String(wlPort) }, null));
  await waitReady(`http://127.0.0.1:${wlPort}/readyz`);
  children.push(await startChild('nice', ['-n', '10', process.execPath, ...prof('worker'), 'bin/wardline.js', 'start', '--role', 'worker'], { ...env, LOG_LEVEL: 'info' }, /"msg":"wardline (worker )?is/));
  const barePort = await freePort();
  children.push(await startChild(process.execPath, ['--import', 'tsx', 'bench/bare-bolt.ts'], { PORT: String(barePort), SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl }, /ready \d+/));

  const countCases = async () => ((await servers.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from cases`)) as unknown as { n: number }[])[0]!.n;
  /** Waits until every event sent so far is a case; returns the seconds it took. */
  const drained = async (sent: number) => {
    const started = performance.now();
    while (await countCases() < sent && performance.now() - started < 300_000) await new Promise((r) => setTimeout(r, 100));
    return (performance.now() - started) / 1000;
  };
  console.log('rate/s | wardline acks/s  p50 ms  p99 ms | cases/s (acks + handling) | bare Bolt acks/s  p50 ms  p99 ms | ack ratio');
  // Warm-up (not reported): connections, JIT and caches in all three processes.
  await load(`http://127.0.0.1:${barePort}/slack/events`, 200, 0);
  let sent = (await load(`http://127.0.0.1:${wlPort}/slack/events`, 200, 0)).sent;
  await drained(sent);
  for (const rate of RATES) {
    const bare = await load(`http://127.0.0.1:${barePort}/slack/events`, rate, 0);
    const ours = await load(`http://127.0.0.1:${wlPort}/slack/events`, rate, sent);
    sent += ours.sent;
    const handling = await drained(sent);
    const r = (x: { ok: number; seconds: number }) => x.ok / x.seconds;
    const row = [
      String(rate).padStart(6), '|', fmt(r(ours)).padStart(15), fmt(percentile(ours.ms, 50), 2).padStart(7), fmt(percentile(ours.ms, 99), 2).padStart(7), '|',
      fmt(ours.sent / (ours.seconds + handling)).padStart(25), '|', fmt(r(bare)).padStart(16), fmt(percentile(bare.ms, 50), 2).padStart(7), fmt(percentile(bare.ms, 99), 2).padStart(7), '|',
      `${fmt(r(ours) / r(bare), 2)}×`,
    ];
    console.log(row.join(' '));
  }
  const cases = await countCases();
  const dupes = await servers.dbh.db.execute<{ n: number }>(sql`select count(*)::int as n from (select location, ward_id from cases group by 1, 2 having count(*) > 1) d`);
  console.log(`events sent ${sent}, cases ${cases}, duplicated cases ${(dupes as unknown as { n: number }[])[0]!.n} (every event a case exactly once: ${cases === sent ? 'yes' : 'NO'})`);
  console.log('targets: ≥ 500 acks/s sustained, ≥ 0.5× the bare app, p99 ack ≤ 50 ms');
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  await api.stop();
  await servers.stop();
}
