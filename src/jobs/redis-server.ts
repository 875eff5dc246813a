import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { resolve } from 'node:path';
import { AppError } from '../shared/errors.js';

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
  const child = spawn(opts.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
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
  const kill = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.once('exit', kill);
  try {
    await waitForPort(port, host, child, 10_000);
  } catch (e) {
    kill();
    throw new AppError('redis.unavailable', `redis-server did not start: ${(e as Error).message}. ${stderr.trim()}`, { cause: e });
  }
  return {
    url: `redis://${host}:${port}`,
    port,
    stop: () => new Promise<void>((done) => {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}
