import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../../src/db/client.js';
import { linkChatIdentity, loadPeople } from '../../src/db/directory-repo.js';
import { freePort, startRedisServer } from '../../src/jobs/redis-server.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { repoRoot, runCli } from './cli.js';
import { startTestPostgres } from './postgres-server.js';
import { eventCallback, slackSignature } from './slack-requests.js';
import { distinctReport as textOf, STREET_STEMS } from './distinct-reports.js';

export interface ChaosOptions {
  /** Signed Slack events to send, each a distinct problem (one case each). */
  events: number;
  /** Events per second. */
  rate: number;
  /** Urgent cases opened before the chaos, their reminders due during it. */
  urgent?: number;
  /** Give up waiting for quiet after this long. */
  quietTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  sent: number;
  posts: number;
  retries: number;
  gaveUp: number;
  cases: number;
  messages: number;
  deliveredTwice: number;
  urgent: number;
  remindersFired: number;
  remindersDelivered: number;
  faults: string[];
  quietAfterSeconds: number;
  logFile: string;
}

const SECRET = 'chaos-signing-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A web and a worker process (`wardline start --role web|worker`) on real PostgreSQL and Redis,
 * Slack configured against the fake Web API. Sends signed events with Slack's retries while the
 * worker is killed with SIGKILL (and restarted), PostgreSQL is restarted and Redis is flushed;
 * then waits for quiet and counts what happened.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const log = o.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'wardline-chaos-'));
  const logFile = join(dir, 'processes.log');
  const out = createWriteStream(logFile);
  const pg = await startTestPostgres();
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database chaos');
  await admin.end();
  const databaseUrl = pg.url.replace(/\/[^/]*$/, '/chaos');
  const redis = await startRedisServer({ bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', dataDir: join(dir, 'redis'), persist: false });
  const api = new FakeSlackApi();
  const children = new Set<ChildProcess>();
  let dbh: DbHandle | null = null;
  try {
    dbh = await openDatabase({ databaseUrl, dataDir: '' });
    await dbh.migrate();
    const apiUrl = await api.start();
    const seeded = await runCli(['seed', '--demo'], { env: { DATABASE_URL: databaseUrl } });
    if (seeded.code !== 0) throw new Error(seeded.stderr);
    const people = await loadPeople(dbh.db);
    for (const [i, p] of people.entries()) if (!p.slackUserId) await linkChatIdentity(dbh.db, 'slack', `U0CHAOS${String(i).padStart(3, '0')}`, p.id);
    await linkChatIdentity(dbh.db, 'slack', 'U0CHAOSCLLR', people.find((p) => p.email === 'cllr.hussain@birmingham.example')!.id);

    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: 'xoxb-chaos', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, WARDLINE_QUEUE_PREFIX: 'chaos',
    };
    const start = (role: 'web' | 'worker') => {
      const child = spawn(process.execPath, [`${repoRoot}bin/wardline.js`, 'start', '--role', role], {
        cwd: repoRoot, env: { ...env, ...(role === 'web' ? { PORT: String(port) } : {}) }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => out.write(`[${role}] ${d.toString()}`));
      child.stderr!.on('data', (d: Buffer) => out.write(`[${role}] ${d.toString()}`));
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    };
    const url = `http://127.0.0.1:${port}/slack/events`;
    start('web');
    for (let i = 0; (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) !== 200; i++) {
      if (i > 600) throw new Error(`the web process never became ready; see ${logFile}`);
      await sleep(100);
    }
    let worker = start('worker');
    const db = dbh.db;
    const count = async (q: ReturnType<typeof sql>) => {
      for (let i = 0; ; i++) {
        try {
          return ((await db.execute<{ n: number }>(q)) as unknown as { n: number }[])[0]!.n;
        } catch (e) {
          if (i > 50) throw e;
          await sleep(200); // PostgreSQL restarting
        }
      }
    };
    const sender = createSender(url, log);

    // Urgent cases first; their acknowledge-by moved so that the RM's reminder is due mid-chaos.
    const urgent = o.urgent ?? 5;
    await Promise.all(Array.from({ length: urgent }, (_, i) => sender.send(`EvURGENT${i}`,
      `<@UBOT> urgent: dangerous fly-tipping blocking the pavement on ${STREET_STEMS[i % 20]}gate Walk, Erdington, make safe today`, 1_700_000_000 + i)));
    for (let i = 0; await count(sql`select count(*)::int as n from cases where urgency = 'urgent'`) < urgent; i++) {
      if (i > 600) throw new Error('the urgent cases were not opened');
      await sleep(100);
    }
    const leadSeconds = 1800 + Math.max(10, Math.round(o.events / o.rate / 2));
    await db.execute(sql`update cases set acknowledge_by = now() + make_interval(secs => ${leadSeconds}) where urgency = 'urgent'`);
    await db.execute(sql`update sla_checks set due_at = now() where case_id in (select id from cases where urgency = 'urgent')`);

    const seconds = o.events / o.rate;
    const faults: string[] = [];
    const at = (fraction: number, what: string, fn: () => Promise<void> | void) => sleep(fraction * seconds * 1000).then(async () => {
      await fn();
      faults.push(`${what} at ${(fraction * seconds).toFixed(1)} s`);
      log(`fault: ${what}`);
    });
    const killWorker = async () => {
      worker.kill('SIGKILL');
      await new Promise((r) => (worker.exitCode !== null || worker.signalCode ? r(null) : worker.once('exit', r)));
      await sleep(1500);
      worker = start('worker');
    };
    const flusher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const chaos = Promise.all([
      at(0.15, 'worker killed with SIGKILL, restarted', killWorker),
      at(0.35, 'PostgreSQL restarted', () => pg.restart()),
      at(0.55, 'Redis flushed (FLUSHALL)', async () => { await flusher.flushall(); }),
      at(0.75, 'worker killed with SIGKILL, restarted', killWorker),
    ]);
    const sends: Promise<void>[] = [];
    const started = performance.now();
    for (let sent = 0; sent < o.events;) {
      const due = Math.min(o.events, Math.floor(((performance.now() - started) / 1000) * o.rate) + 1);
      for (; sent < due; sent++) sends.push(sender.send(`EvCHAOS${sent}`, textOf(sent), 1_800_000_000 + sent));
      await sleep(5);
    }
    await Promise.all([...sends, chaos]);
    flusher.disconnect();
    log(`sent ${o.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s; waiting for quiet`);

    // Quiet: every case opened, nothing left to deliver or handle, the reminders sent, twice in a row.
    const quietFrom = performance.now();
    const deadline = quietFrom + (o.quietTimeoutMs ?? 240_000);
    const state = async () => [
      await count(sql`select count(*)::int as n from cases`),
      await count(sql`select count(*)::int as n from outbox where status in ('pending', 'sending')`),
      await count(sql`select count(*)::int as n from inbound_queue where status = 'pending'`),
      await count(sql`select count(*)::int as n from sla_notifications where kind = 'remind_acknowledge'`),
      api.messages.length,
    ];
    let last = '';
    let loggedAt = 0;
    for (;;) {
      const s = await state();
      const key = JSON.stringify(s);
      if (s[0] === o.events + urgent && s[1] === 0 && s[2] === 0 && s[3]! >= urgent && key === last) break;
      if (performance.now() > deadline) { log(`not quiet: ${key}`); break; }
      if (performance.now() - loggedAt > 20_000) {
        loggedAt = performance.now();
        log(`cases, undelivered, unhandled, reminders, Slack messages: ${key} at ${((performance.now() - quietFrom) / 1000).toFixed(0)} s`);
      }
      last = key;
      await sleep(2000);
    }
    const quietAfterSeconds = (performance.now() - quietFrom) / 1000;

    const perKey = new Map<string, number>();
    for (const m of api.messages) {
      const key = (m.metadata?.event_payload as { key?: string } | undefined)?.key;
      if (m.user === null && key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    const urgentIds = ((await db.execute<{ id: string }>(sql`select id from cases where urgency = 'urgent'`)) as unknown as { id: string }[]).map((r) => r.id);
    return {
      sent: o.events, ...sender.counts,
      cases: await count(sql`select count(*)::int as n from cases where urgency <> 'urgent'`),
      messages: perKey.size, deliveredTwice: [...perKey.values()].filter((n) => n > 1).length, urgent,
      remindersFired: await count(sql`select count(*)::int as n from sla_notifications where kind = 'remind_acknowledge'`),
      remindersDelivered: [...perKey.keys()].filter((k) => k.startsWith('sla:') && k.includes(':remind_acknowledge:') && urgentIds.some((id) => k.includes(id))).length,
      faults, quietAfterSeconds, logFile,
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await sleep(500);
    await dbh?.close().catch(() => undefined);
    await api.stop();
    await redis.stop();
    out.end();
    pg.stop();
    if (!process.env.CHAOS_KEEP_LOG) rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends as Slack does: signed, and again (same event_id, X-Slack-Retry-Num) when the ack is slow or fails. */
function createSender(url: string, log: (line: string) => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const post = (body: string, retry: number, reason: string) => new Promise<number>((ok) => {
    const now = Math.floor(Date.now() / 1000);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature(body, now, SECRET),
      ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': reason } : {}),
    };
    const req = request(url, { method: 'POST', agent, headers }, (res) => { res.resume(); res.on('end', () => ok(res.statusCode ?? 0)); });
    req.setTimeout(3000, () => req.destroy()); // Slack's 3 seconds
    req.on('error', () => ok(0));
    req.end(body);
  });
  const n = { posts: 0, retries: 0, gaveUp: 0 };
  // Slack retries at once, after a minute and after five; here at 1, 4 and 10 seconds.
  const waits = [1000, 4000, 10_000];
  const send = async (id: string, text: string, tsn: number): Promise<void> => {
    const ts = `${tsn}.000100`;
    const body = JSON.stringify(eventCallback({ type: 'app_mention', user: 'U0CHAOSCLLR', text, ts, event_ts: ts, channel: `C${String(tsn % 500).padStart(8, '0')}` }, id));
    for (let attempt = 0; attempt <= waits.length; attempt++) {
      n.posts++;
      if (attempt) n.retries++;
      if (await post(body, attempt, 'http_error') === 200) {
        // One event in twenty: Slack thought the ack slow and sends it again anyway.
        if (tsn % 20 === 7 && attempt === 0) { n.posts++; n.retries++; await post(body, 1, 'http_timeout'); }
        return;
      }
      if (attempt < waits.length) await sleep(waits[attempt]!);
    }
    n.gaveUp++;
    log(`gave up on ${id}`);
  };
  return { send, counts: n };
}
