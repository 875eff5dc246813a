import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/jobs/redis-server.js';

/** A throwaway PostgreSQL cluster in a temp dir, run as the `postgres` user when we are root. */
export interface TestPostgres {
  url: string;
  /** Stops the server (fast: open connections are cut) and starts it again on the same port. */
  restart(): void;
  stop(): void;
}

export function pgBin(name: string): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', name))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin', name);
  }
  return name;
}

function run(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;
  const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
}

/** `settings`: more `name=value` server settings (a bench loads pg_stat_statements to count queries). */
export async function startTestPostgres(settings: string[] = []): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  run(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  run(pgBin('pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200${settings.map((x) => ` -c ${x}`).join('')}`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => run(pgBin('pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-m', 'fast', '-w', 'restart']),
    stop: () => {
      try { run(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function hasPostgresBinaries(): boolean {
  try {
    execFileSync(pgBin('initdb'), ['--version']);
    return true;
  } catch {
    return false;
  }
}
