import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDeliveryError } from '../../src/bot/slack/slack-sender.js';
import { createSlackCall, SlackCallError } from '../../src/bot/slack/slack-web-call.js';
import { freePort } from '../../src/jobs/redis-server.js';

/** A loopback server whose answer each test sets; it records what it was sent. */
describe('Slack Web API calls (posts and edits)', () => {
  let server: Server;
  let url: string;
  let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => {};
  const seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        answer(req, res, body);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as SlackCallError);

  it('posts JSON with the bot token to the method\'s address and resolves to Slack\'s answer', async () => {
    answer = json(200, { ok: true, channel: 'C1', ts: '1800000000.000100' });
    const call = createSlackCall('xoxb-secret', url);
    const r = await call('chat.postMessage', { channel: 'C1', text: 'Fly-tipping on Slade Road — “again”', blocks: [{ type: 'section' }] });
    expect(r).toEqual({ ok: true, channel: 'C1', ts: '1800000000.000100' });
    const req = seen.at(-1)!;
    expect(req.path).toBe('/api/chat.postMessage');
    expect(req.headers.authorization).toBe('Bearer xoxb-secret');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req.body)).toEqual({ channel: 'C1', text: 'Fly-tipping on Slade Road — “again”', blocks: [{ type: 'section' }] });
    // The connection is kept for the next call.
    await call('chat.update', { channel: 'C1', ts: '1', text: 'x' });
    expect(seen.at(-1)!.path).toBe('/api/chat.update');
  });

  it('answers every failure as the Web API client would, so the outbox reads them alike', async () => {
    const call = createSlackCall('xoxb-secret', url);
    answer = json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '12' });
    const limited = await failure(call('chat.postMessage', { channel: 'C1', text: 'x' }));
    expect([limited.code, limited.retryAfter]).toEqual(['slack_webapi_rate_limited_error', 12]);
    expect([toDeliveryError(limited).kind, toDeliveryError(limited).retryAfterMs]).toEqual(['rate_limited', 12_000]);
    answer = json(429, '', {});
    expect(toDeliveryError(await failure(call('chat.postMessage', { channel: 'C1', text: 'x' }))).retryAfterMs).toBe(1000);

    answer = json(200, { ok: false, error: 'channel_not_found' });
    const refused = await failure(call('chat.postMessage', { channel: 'C9', text: 'x' }));
    expect([refused.code, refused.data?.error]).toEqual(['slack_webapi_platform_error', 'channel_not_found']);
    expect([toDeliveryError(refused).kind, toDeliveryError(refused).message]).toEqual(['permanent', 'Slack refused the message: channel_not_found']);

    for (const bad of [json(503, '<html>Service Unavailable</html>'), json(200, 'not json'), json(200, '[1,2]'), json(500, { ok: false, error: 'internal_error' })]) {
      answer = bad;
      const e = await failure(call('chat.postMessage', { channel: 'C1', text: 'x' }));
      expect(e).toBeInstanceOf(SlackCallError);
      expect(toDeliveryError(e).kind).toBe('transient');
    }
    answer = json(200, { ok: false, error: 'internal_error' });
    expect(toDeliveryError(await failure(call('chat.postMessage', { channel: 'C1', text: 'x' }))).message).toBe('Slack: internal_error');
  });

  it('fails a call that gets no answer in time, and one whose server is gone, as transient', async () => {
    answer = () => {}; // never answers
    const slow = createSlackCall('xoxb-secret', url, 200);
    const timedOut = await failure(slow('chat.postMessage', { channel: 'C1', text: 'x' }));
    expect([timedOut.code, toDeliveryError(timedOut).kind]).toEqual(['slack_call_timeout', 'transient']);
    const gone = createSlackCall('xoxb-secret', `http://127.0.0.1:${await freePort()}/api/`);
    const refused = await failure(gone('chat.postMessage', { channel: 'C1', text: 'x' }));
    expect([refused.code, toDeliveryError(refused).kind]).toEqual(['slack_call_request_error', 'transient']);
  });

  it('refuses an answer too large to be Slack\'s without holding it in memory', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let n = 0;
      const more = () => { while (n < 8 && res.write(chunk)) n++; if (n < 8) { n++; res.once('drain', more); } else res.end(); };
      res.on('error', () => {});
      more();
    };
    const e = await failure(createSlackCall('xoxb-secret', url)('chat.postMessage', { channel: 'C1', text: 'x' }));
    expect(toDeliveryError(e).kind).toBe('transient');
  });
});
