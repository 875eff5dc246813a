import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startRedisServer } from '../../src/jobs/redis-server.js';
import { startWardline, type Running } from '../../src/main.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedFixtureDirectory } from '../support/seed.js';
import { createTestDatabase, redisTestUrl, uniquePrefix } from '../support/test-db.js';

let dbUrl: string;
let running: Running;
let base: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  await db.close();
  running = await startWardline(loadConfig({ DATABASE_URL: dbUrl, REDIS_URL: redisTestUrl(), PORT: '0' }), createLogger('silent'), 'web', { queuePrefix: uniquePrefix('door') });
  base = running.web!.url;
}, 60_000);
afterAll(async () => { await running?.stop(); });

/** Sends bytes as they are (no client-side normalising) and returns the status and the body. */
async function rawRequest(request: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(base);
  return new Promise((ok, fail) => {
    const s = connect({ port: Number(port), host: '127.0.0.1' }, () => s.end(request));
    let text = '';
    s.on('data', (d) => { text += d.toString('latin1'); });
    s.on('end', () => ok({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
    s.on('error', fail);
  });
}

describe('the front door', () => {
  it('answers the requests that used to stop the process, and stays up', async () => {
    const slashes = await fetch(`${base}//`, { redirect: 'manual' });
    expect([slashes.status, slashes.headers.get('location')]).toEqual([303, '/auth/sign-in']); // `//` is `/`: the tracker's start
    expect((await fetch(`${base}//healthz`)).status).toBe(200);
    const bad = await fetch(`${base}/api/workspace/channels/%E0/messages`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_url', message: 'The address is not valid: check its percent-encoding (%XX).' });
    expect((await rawRequest('GET //%E0%A4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(400);
    const brew = await rawRequest('BREW /coffee HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(brew).toEqual({ status: 400, body: JSON.stringify({ error: 'bad_request', message: 'The request could not be read as HTTP/1.1.' }) });
    const huge = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect([huge.status, JSON.parse(huge.body).error]).toEqual([431, 'headers_too_large']);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("serves wardline's icon at the names browsers ask for, and the pages link it", async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const icon = await fetch(`${base}${path}`);
      expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
      expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>$/);
    }
    const missing = await fetch(`${base}/no-such-page`, { headers: { accept: 'text/html' } });
    expect(await missing.text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });

  it('answers a browser at an unknown path with a small accessible page, an API client with JSON', async () => {
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await fetch(`${base}/no-such-page`, { headers: { accept: browser } });
    expect([page.status, page.headers.get('content-type')]).toEqual([404, 'text/html; charset=utf-8']);
    const body = await page.text();
    expect(body).toMatch(/^<!doctype html>\s*<html lang="en-GB">/);
    expect(body).toContain('<title>Page not found – wardline</title>');
    expect(body).toMatch(/<main[^>]*>\s*<h1>Page not found<\/h1>\s*<p>Nothing here at that address\.<\/p>/);
    const wrongMethod = await fetch(`${base}/api/workspace/actions`, { headers: { accept: browser } });
    expect([wrongMethod.status, wrongMethod.headers.get('content-type')]).toEqual([405, 'text/html; charset=utf-8']);
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html', 'text/html;q=0.5, application/json']) {
      const api = await fetch(`${base}/no-such-page`, { headers: accept ? { accept } : {} });
      expect([api.status, api.headers.get('content-type'), accept]).toEqual([404, 'application/json; charset=utf-8', accept]);
      expect(await api.json()).toEqual({ error: 'not_found', message: 'Nothing here at that address.' });
    }
  });

  it('answers unknown paths, wrong methods and bad query strings with JSON', async () => {
    const missing = await fetch(`${base}/nope/../../etc/passwd`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    const wrong = await fetch(`${base}/api/workspace/actions`);
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    const query = await fetch(`${base}/api/workspace/channels?as=%E0%ZZ`);
    expect(query.status).toBe(403);
    const long = await fetch(`${base}/api/workspace/channels/${'x'.repeat(5000)}/messages`);
    expect(long.status).toBe(414);
  });

  it('answers a workspace channel id holding NUL with 400, and one that cannot be a channel with 404, never a 500', async () => {
    const people = await seedFixtureDirectory(running.core.dbh.db);
    running.core.invalidateContext();
    const as = [...people.values()][0]!.id;
    const send = (id: string) => fetch(`${base}/api/workspace/channels/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as, text: 'hello' }) });
    for (const id of ['%00', 'a%00b', '%00general']) {
      const read = await fetch(`${base}/api/workspace/channels/${id}/messages?as=${as}`);
      expect([read.status, await read.json()]).toEqual([400, { error: 'bad_url', message: 'The address holds a NUL character; no address here has one.' }]);
      expect((await send(id)).status).toBe(400);
    }
    for (const id of ['%C3%A9', 'a.b', '%20general']) {
      const read = await fetch(`${base}/api/workspace/channels/${id}/messages?as=${as}`);
      expect([read.status, await read.json()]).toEqual([404, { error: 'no_channel', message: 'There is no such channel for this person.' }]);
      expect((await send(id)).status).toBe(404);
    }
    expect((await fetch(`${base}/api/workspace/channels/general/messages?as=${as}`)).status).toBe(200);
  });

  it('answers every surface through one boundary, each in its own format', async () => {
    // The workspace's API: JSON.
    expect(await (await fetch(`${base}/api/workspace/channels?as=nobody`)).json()).toMatchObject({ error: 'unknown_persona' });
    // The tracker: its own pages, a refused form changing nothing.
    const forged = await fetch(`${base}/auth/sign-out`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=forged' });
    expect([forged.status, forged.headers.get('content-type')]).toEqual([403, 'text/html; charset=utf-8']);
    expect(await forged.text()).toContain('This form has expired');
    const json = await fetch(`${base}/auth/sign-out`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"_csrf":"x"}' });
    expect(json.status).toBe(403);
    // Open311: the specification's error list, for unknown methods and addresses that cannot be read too.
    const missing = await fetch(`${base}/open311/v2/widgets/1.json`);
    expect([missing.status, await missing.json()]).toEqual([404, [{ code: 404, description: 'There is no such Open311 method.' }]]);
    const badUrl = await fetch(`${base}/open311/v2/requests/%E0.xml`);
    expect(badUrl.status).toBe(400);
    expect(await badUrl.text()).toContain('<errors>\n  <error>\n    <code>400</code>');
    const wrongMethod = await fetch(`${base}/open311/v2/requests.json`, { method: 'DELETE' });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, POST']);
    expect((await wrongMethod.json())[0].code).toBe(405);
    // Elsewhere: JSON.
    expect(await (await fetch(`${base}/nothing/here.xml`)).json()).toMatchObject({ error: 'not_found' });
  });

  it('refuses a body over 1 MB declared or chunked, and a body that is not JSON, without a stack', async () => {
    const url = `${base}/api/workspace/actions`;
    const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1_000_001) });
    expect(declared.status).toBe(413);
    const chunks = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(100_000).fill(32)); } });
    const chunked = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const xml = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    expect([xml.status, (await xml.json()).error]).toEqual([400, 'invalid_json']);
  });
});

describe('metrics while Redis is down', () => {
  it('answers /metrics within a few seconds with the last known queue depths, marked stale; logs one line per part, no stacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-door-redis-'));
    const redis = await startRedisServer({ bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', dataDir: dir, persist: false });
    const db = await createTestDatabase();
    await db.close();
    const lines: Record<string, unknown>[] = [];
    const logs = new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)); done(); } });
    const app = await startWardline(loadConfig({ DATABASE_URL: db.url, REDIS_URL: redis.url, PORT: '0' }), createLogger('info', logs), 'all', { queuePrefix: uniquePrefix('door') });
    const printed = vi.spyOn(console, 'error');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const up = await (await fetch(`${app.web!.url}/metrics`)).text();
      expect(up).toMatch(/^wardline_queue_depth_stale 0$/m);
      await redis.stop();
      const res = await fetch(`${app.web!.url}/metrics`, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      const down = await res.text();
      expect(down).toMatch(/^wardline_queue_depth_stale 1$/m);
      expect(down).toMatch(/^wardline_queue_depth\{queue="outbox",state="pending"\} 0$/m);
      expect((await fetch(`${app.web!.url}/readyz`, { signal: AbortSignal.timeout(5000) })).status).toBe(503);
      await new Promise((r) => setTimeout(r, 4000)); // several reconnect attempts
      const aboutRedis = lines.filter((l) => /redis/i.test(JSON.stringify(l)));
      expect(aboutRedis.map((l) => `${String(l.part)}: ${String(l.msg)}`).sort()).toEqual(['intake-retrain: Redis unreachable; retrying', 'jobs: Redis unreachable; retrying', 'retention: Redis unreachable; retrying']);
      expect(JSON.stringify(aboutRedis)).not.toMatch(/stack|\n\s+at /);
      expect(printed).not.toHaveBeenCalled();
      expect(stderr.mock.calls.map((c) => String(c[0])).filter((t) => /ECONNREFUSED|\n\s+at /.test(t))).toEqual([]);
    } finally {
      printed.mockRestore();
      stderr.mockRestore();
      await Promise.race([app.stop(), new Promise((r) => setTimeout(r, 10_000))]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the open workspace on a reachable address', () => {
  it('refuses to start, saying what to set', async () => {
    const config = loadConfig({ DATABASE_URL: dbUrl, REDIS_URL: redisTestUrl(), PORT: '0', HOST: '0.0.0.0' });
    await expect(startWardline(config, createLogger('silent'), 'web')).rejects.toThrow(/HOST=0\.0\.0\.0 is not a loopback address.*set WARDLINE_WORKSPACE=on/);
  });

  it('starts with a loud warning when WARDLINE_WORKSPACE=on says so', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const config = loadConfig({ DATABASE_URL: dbUrl, REDIS_URL: redisTestUrl(), PORT: '0', HOST: '0.0.0.0', WARDLINE_WORKSPACE: 'on' });
    const app = await startWardline(config, pino({ level: 'warn' }, sink), 'web', { queuePrefix: uniquePrefix('door') });
    await app.stop();
    const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => /WORKSPACE IS OPEN ON 0\.0\.0\.0/.test(l.msg));
    expect(warning?.level).toBe(40);
  }, 30_000);
});
