import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { AppError } from '../shared/errors.js';
import { currentOwner, ownerAlive, type LockOwner } from '../shared/process-owner.js';

export interface ManagedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen({ port: 0, host }, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, host: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((done) => {
      const s = connect({ port, host }, () => { s.write('PING\r\n'); });
      s.once('data', (d) => { s.destroy(); done(d.toString().startsWith('+PONG')); });
      s.once('error', () => { s.destroy(); done(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on ${host}:${port} within ${ms} ms`);
}

/**
 * Starts a redis-server child on loopback (free port, AOF on, data in dataDir) and stops it on exit.
 * Used by the embedded default and by the test harness.
 */
export async function startRedisServer(opts: { bin: string; dataDir: string; host?: string; persist?: boolean }): Promise<ManagedRedis> {
  const host = opts.host ?? '127.0.0.1';
  const dir = resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const port = await freePort(host);
  const persist = opts.persist ?? true;
  const args = ['--port', String(port), '--bind', host, '--dir', dir, '--save', '',
    '--appendonly', persist ? 'yes' : 'no', '--protected-mode', 'yes', '--loglevel', 'warning'];
  await stopOrphan(dir);
  // Its own process group: Ctrl+C in a terminal reaches wardline, which stops Redis after its workers.
  const child = spawn(opts.bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const spawned = await new Promise<Error | null>((done) => {
    child.once('spawn', () => done(null));
    child.once('error', (e) => done(e));
  });
  if (spawned) {
    if ((spawned as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('redis.missing_binary',
        `redis-server was not found (looked for "${opts.bin}"). Install it with "sudo apt-get install redis-server", set REDIS_SERVER_BIN to its path, or set REDIS_URL to an existing Redis.`);
    }
    throw new AppError('redis.unavailable', `Could not start redis-server: ${spawned.message}`, { cause: spawned });
  }
  const kill = () => { if (child.exitCode === null) child.kill('SIGTERM'); forgetOwner(dir); };
  process.once('exit', kill);
  try {
    await waitForPort(port, host, child, 10_000);
  } catch (e) {
    kill();
    throw new AppError('redis.unavailable', `redis-server did not start: ${(e as Error).message}. ${stderr.trim()}`, { cause: e });
  }
  if (child.pid) writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ owner: currentOwner(), redisPid: child.pid }));
  return {
    url: `redis://${host}:${port}`,
    port,
    stop: () => new Promise<void>((done) => {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) { forgetOwner(dir); return done(); }
      child.once('exit', () => { forgetOwner(dir); done(); });
      child.kill('SIGTERM');
    }),
  };
}

/** Which wardline process started the redis-server that uses this directory. */
const OWNER_FILE = 'wardline-redis.json';

function forgetOwner(dir: string): void {
  rmSync(join(dir, OWNER_FILE), { force: true });
}

/**
 * A redis-server left running by a wardline process that was killed (its owner is gone) would
 * share the directory with the new one: stop it first. One whose owner still runs is left alone.
 */
async function stopOrphan(dir: string): Promise<void> {
  let recorded: { owner: LockOwner; redisPid: number };
  try {
    recorded = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as typeof recorded;
  } catch {
    return;
  }
  if (ownerAlive(recorded.owner)) return;
  if (!isRedisServer(recorded.redisPid)) return forgetOwner(dir);
  process.kill(recorded.redisPid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && isRedisServer(recorded.redisPid)) await new Promise((r) => setTimeout(r, 50));
  if (isRedisServer(recorded.redisPid)) process.kill(recorded.redisPid, 'SIGKILL');
  forgetOwner(dir);
}

function isRedisServer(pid: number): boolean {
  try {
    return /redis-server|redis-check/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}
