import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis-server.js';
import { repoRoot } from '../support/cli.js';

/** README's run command on embedded defaults: PGlite in the data dir and a redis-server it manages. */
describe('npm start (scripts/run.sh)', () => {
  it('seeds the demo, serves the workspace, reports ready, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-run-'));
    const port = await freePort();
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, WARDLINE_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn' };
    const child = spawn('bash', ['scripts/run.sh'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 150_000;
      let ready = 0;
      while (Date.now() < deadline && ready !== 200) {
        ready = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
        if (ready !== 200) await new Promise((r) => setTimeout(r, 500));
      }
      expect(ready, output).toBe(200);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toMatch(/<html/i);
      const people = await (await fetch(`${base}/api/workspace/people`)).json() as { people: { name: string }[] };
      expect(people.people.map((p) => p.name)).toContain('Cllr Amina Hussain');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await fetch(`${base}/healthz`).then(() => 'up', () => 'down')).toBe('down');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
