import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis-server.js';
import { repoRoot } from '../support/cli.js';
import { readDockerfile, type ImageSpec } from '../support/dockerfile.js';
import { createTestDatabase, redisTestUrl } from '../support/test-db.js';

/**
 * No container engine runs on this machine, so the image itself is not built here. What the
 * image runs is checked instead: the final stage's files exactly as the Dockerfile copies them
 * (no src/, no tsx compile), its ENV, and its ENTRYPOINT + CMD, against real PostgreSQL and Redis.
 */
describe('the container image\'s command (Dockerfile ENTRYPOINT and CMD)', () => {
  let image: string;
  let spec: ImageSpec;
  beforeAll(() => {
    spec = readDockerfile();
    // The global setup has built dist/; lay out the final stage as the Dockerfile does.
    image = mkdtempSync(join(tmpdir(), 'wardline-image-'));
    for (const path of spec.copies) {
      if (path === 'node_modules') symlinkSync(join(repoRoot, 'node_modules'), join(image, 'node_modules'));
      else cpSync(join(repoRoot, path), join(image, path), { recursive: true });
    }
  });
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  it('copies a build and no sources, runs as a non-root user and checks /readyz', () => {
    expect(spec.copies).toEqual(expect.arrayContaining(['dist', 'bin', 'drizzle', 'catalogue', 'package.json', 'node_modules']));
    expect(spec.copies).not.toContain('src');
    expect(existsSync(join(image, 'dist', 'cli', 'main.js'))).toBe(true);
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
  });

  it('migrates, then starts as the image does (role all), answers /readyz and stops on SIGTERM', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const env = {
      PATH: process.env.PATH, HOME: process.env.HOME, ...spec.env,
      // Loopback only in tests; the image listens on 0.0.0.0.
      HOST: '127.0.0.1', PORT: String(port), WARDLINE_DATA_DIR: join(image, 'data'),
      DATABASE_URL: db.url, REDIS_URL: redisTestUrl(), LOG_LEVEL: 'warn', WARDLINE_QUEUE_PREFIX: `wlimage${port}`,
    };
    const [bin, ...args] = spec.entrypoint;
    try {
      const migrate = spawn(bin!, [...args, 'migrate'], { cwd: image, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      migrate.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      migrate.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      expect(await new Promise((ok) => migrate.once('exit', ok)), out).toBe(0);
      expect(out).toMatch(/up to date/);

      const child = spawn(bin!, [...args, ...spec.cmd], { cwd: image, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      child.stderr.on('data', (d: Buffer) => { log += d.toString(); });
      const exited = new Promise<number | null>((ok) => child.once('exit', ok));
      try {
        let ready = 0;
        for (const deadline = Date.now() + 60_000; Date.now() < deadline && ready !== 200;) {
          ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
          if (ready !== 200) await new Promise((r) => setTimeout(r, 300));
        }
        expect(ready, log).toBe(200);
        expect(log).not.toMatch(/tsx/);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      await db.close();
    }
  }, 120_000);
});
