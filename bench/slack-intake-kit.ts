/** Pieces of bench/slack-intake: child processes, signed load, RSS and CPU sampling, and case timing. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { eventCallback, slackSignature } from '../test/support/slack-requests.js';
import { percentile } from './support.js';
import { distinctReport as textOf } from '../test/support/distinct-reports.js';
import { readDockerfile } from '../test/support/dockerfile.js';

export const SECRET = 'bench-signing-secret';

/**
 * The NODE_OPTIONS wardline's processes run with, and where they come from: the container image's
 * (Dockerfile ENV), so the bench measures the processes as deployed; BENCH_NODE_OPTIONS overrides
 * it (empty: Node's defaults).
 */
export function deployedNodeOptions(): { options: string; from: 'image' | 'BENCH_NODE_OPTIONS' } {
  const own = process.env.BENCH_NODE_OPTIONS;
  return own !== undefined ? { options: own, from: 'BENCH_NODE_OPTIONS' } : { options: readDockerfile().env.NODE_OPTIONS ?? '', from: 'image' };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

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

export async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 900; i++) {
    if (await fetch(url).then((r) => r.status === 200, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}


export function startChild(cmd: string, args: string[], env: Record<string, string>, ready: RegExp | null): Promise<ChildProcess> {
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

export interface Load { sent: number; ok: number; ms: number[]; seconds: number; ackedAt: number[] }

/** Signed app_mentions numbered from `first`, at `rate` a second for `seconds` (Infinity: all at once), spread over `urls`. */
export async function load(urls: string[], rate: number, seconds: number, first: number, total = Math.round(rate * seconds)): Promise<Load> {
  const ms: number[] = [];
  const ackedAt: number[] = new Array<number>(total).fill(NaN);
  let ok = 0;
  let sent = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  while (sent < total) {
    const due = Number.isFinite(rate) ? Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1) : total;
    for (; sent < due; sent++) {
      const i = first + sent;
      const k = sent;
      const ts = String(1_800_000_000 + i);
      const body = JSON.stringify(eventCallback({ type: 'app_mention', user: 'U0BENCHCLLR', text: textOf(i), ts: `${ts}.000100`, event_ts: `${ts}.000100`, channel: `C${String(i % 500).padStart(8, '0')}` }, `EvBENCH${i}`));
      const now = Math.floor(Date.now() / 1000);
      const t0 = performance.now();
      inflight.push(post(urls[i % urls.length]!, body, { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(body, now, SECRET) })
        .then((status) => { if (status === 200) ok++; const t = performance.now(); ms.push(t - t0); ackedAt[k] = t; }, () => undefined));
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  return { sent, ok, ms: ms.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000, ackedAt };
}

const count = async (db: Db, q: ReturnType<typeof sql>) => ((await db.execute<{ n: number }>(q)) as unknown as { n: number }[])[0]!.n;
export const countCases = (db: Db) => count(db, sql`select count(*)::int as n from cases`);
export const countRmCards = (db: Db) => count(db, sql`select count(*)::int as n from outbox where payload->'render'->>'kind' = 'rm_card'`);
export const countDuplicates = (db: Db) => count(db, sql`select count(*)::int as n from (select location, ward_id from cases group by 1, 2 having count(*) > 1) d`);

/**
 * Waits until `target` cases exist, noting when each count was first seen (polled every 20 ms):
 * the moment case k was committed, to within a poll.
 */
export async function watchCases(db: Db, from: number, target: number, timeoutMs = 300_000): Promise<{ committedAt: number[]; done: boolean }> {
  const committedAt: number[] = [];
  const started = performance.now();
  let seen = from;
  while (seen < target && performance.now() - started < timeoutMs) {
    const n = await countCases(db);
    const t = performance.now();
    for (; seen < n; seen++) committedAt.push(t);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { committedAt, done: seen >= target };
}

/** Handling figures of one phase: cases a second from the first ack to the last commit, and the lag. */
export function handlingFigures(l: Load, committedAt: number[]) {
  const firstAck = Math.min(...l.ackedAt.filter(Number.isFinite));
  const last = committedAt.at(-1) ?? NaN;
  // Stored events are handled in the order they were stored (near enough the order acked).
  const acks = [...l.ackedAt].sort((a, b) => a - b);
  const lag = committedAt.map((t, k) => t - (acks[k] ?? NaN)).filter(Number.isFinite).sort((a, b) => a - b);
  return { rate: committedAt.length / ((last - firstAck) / 1000), lagP50: percentile(lag, 50), lagP99: percentile(lag, 99), lastAfterSendS: (last - firstAck) / 1000 - l.seconds };
}

/** RSS (MB) and CPU seconds of a process, from /proc. */
export function procStat(pid: number): { rssMb: number; cpuS: number } {
  try {
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { rssMb: rss ? Number(rss[1]) / 1024 : NaN, cpuS: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return { rssMb: NaN, cpuS: NaN };
  }
}

/** Samples every process's RSS every 100 ms; `peak` per pid since the last reset. */
export function rssSampler(pids: () => number[]) {
  const peak = new Map<number, number>();
  const timer = setInterval(() => { for (const p of pids()) peak.set(p, Math.max(peak.get(p) ?? 0, procStat(p).rssMb)); }, 100);
  timer.unref();
  return { peak: (pid: number) => peak.get(pid) ?? NaN, reset: () => peak.clear(), stop: () => clearInterval(timer) };
}

/**
 * Statements the database ran (pg_stat_statements, loaded by the bench's server), this bench's own
 * polling aside: `since()` per phase, with the busiest statements for a log.
 */
export async function queryCounter(db: Db) {
  await db.execute(sql`create extension if not exists pg_stat_statements`);
  const read = async () => (await db.execute(sql`select query, calls::int as calls from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not like '%pg_stat_statements%' and query not like 'select count(*)::int as n from cases%'`)) as unknown as { query: string; calls: number }[];
  let start = new Map<string, number>();
  return {
    async mark() { start = new Map((await read()).map((r) => [r.query, r.calls])); },
    async since(): Promise<{ total: number; top: { query: string; calls: number }[] }> {
      const rows = (await read()).map((r) => ({ query: r.query, calls: r.calls - (start.get(r.query) ?? 0) })).filter((r) => r.calls > 0);
      return { total: rows.reduce((s, r) => s + r.calls, 0), top: rows.sort((a, b) => b.calls - a.calls).slice(0, 25) };
    },
  };
}
