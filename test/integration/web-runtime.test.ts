import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { freePort } from '../../src/jobs/redis-server.js';
import { startWardline, type Running } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, redisTestUrl } from '../support/test-db.js';

let running: Running;
let dbUrl: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  await db.close();
  running = await startWardline(loadConfig({ DATABASE_URL: dbUrl, REDIS_URL: redisTestUrl(), PORT: '0' }), createLogger('silent'), 'web');
});
afterAll(async () => { await running?.stop(); });

describe('the web server', () => {
  it('answers health, readiness and metrics', async () => {
    const base = running.web!.url;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'database', ok: true }, { name: 'redis', ok: true }] });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('wardline_http_request_duration_seconds');
    expect(metrics).toContain('wardline_cases_opened_total');
  });

  it('answers unknown paths and methods with JSON, not a stack', async () => {
    const base = running.web!.url;
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    const wrong = await fetch(`${base}/healthz`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });
});

describe('starting with a service down', () => {
  it('says PostgreSQL is unreachable and exits non-zero', async () => {
    const port = await freePort();
    const r = await runCli(['start', '--role', 'web'], { env: { DATABASE_URL: `postgres://u:secret@127.0.0.1:${port}/x`, REDIS_URL: redisTestUrl(), PORT: '0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wardline: Cannot reach PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1/);
    expect(r.stderr).not.toContain('secret');
  });

  it('says Redis is unreachable and exits non-zero', async () => {
    const port = await freePort();
    const r = await runCli(['start', '--role', 'web'], { env: { DATABASE_URL: dbUrl, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wardline: Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('says how to install redis-server when it is missing', async () => {
    const r = await runCli(['start', '--role', 'web'], { env: { DATABASE_URL: dbUrl, REDIS_SERVER_BIN: '/nonexistent/redis-server', PORT: '0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/apt-get install redis-server/);
  });

  it('reports every configuration problem at once', async () => {
    const r = await runCli(['migrate'], { env: { PORT: 'x', TZ_COUNCIL: 'Nowhere/Else' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT:/);
    expect(r.stderr).toMatch(/TZ_COUNCIL:/);
  });
});
