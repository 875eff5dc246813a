import { createServer, type Server } from 'node:http';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

type Scripted = { status: 429; retryAfter: number } | { error: string };

/**
 * A fake Slack Web API on loopback: records every call, answers like Slack, and can be told to
 * answer 429 with Retry-After or an error such as channel_not_found for the next calls.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  private server: Server | null = null;
  private readonly script: Scripted[] = [];
  private ts = 1_700_000_000;
  url = '';

  failNext(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '/').replace(/^\/(api\/)?/, '').split('?')[0]!;
        const raw = Buffer.concat(chunks).toString();
        const body = (req.headers['content-type'] ?? '').includes('json')
          ? (JSON.parse(raw || '{}') as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
        const next = this.script.shift();
        if (next && 'status' in next) {
          res.writeHead(429, { 'retry-after': String(next.retryAfter), 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        this.calls.push({ method, body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(next ? { ok: false, error: next.error } : this.answer(method, body)));
      });
    });
    await new Promise<void>((ok) => this.server!.listen({ port: 0, host: '127.0.0.1' }, () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/`;
    return this.url;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const ts = `${this.ts++}.000100`;
    switch (method) {
      case 'chat.postMessage':
        return { ok: true, channel: body.channel, ts, message: { text: body.text, ts } };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users).replace(/\W/g, '').slice(0, 9)}` } };
      case 'users.info':
        return { ok: true, user: { id: body.user, profile: { email: `${String(body.user).toLowerCase()}@birmingham.example` } } };
      case 'users.lookupByEmail':
        return { ok: false, error: 'users_not_found' };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0WARDLINE' };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${this.ts}` } };
      default:
        return { ok: true };
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
