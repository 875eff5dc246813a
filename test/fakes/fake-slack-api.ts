import { createServer, type Server } from 'node:http';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

/** A message as Slack stores it: posted by a person (`user`) or by the bot (`user` null). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  user: string | null;
  text: string;
  blocks: Record<string, unknown>[];
  threadTs: string | null;
  metadata: Record<string, unknown> | null;
}

type Scripted = { status: 429; retryAfter: number } | { error: string };

/** Slack's documented Block Kit limits, enforced as Slack does: the call fails. */
function checkBlocks(text: string, blocks: Record<string, unknown>[]): string | null {
  if (text.length > 40_000) return 'msg_too_long';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const b of blocks) {
    const t = (b.text as { text?: string } | undefined)?.text;
    if (b.type === 'section' && t !== undefined && (t.length > 3000 || t.length === 0)) return 'invalid_blocks';
    for (const e of (b.elements as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof e.value === 'string' && e.value.length > 2000) return 'invalid_blocks';
      const label = (e.text as { text?: string } | string | undefined);
      if (b.type === 'actions' && typeof label === 'object' && (label.text?.length ?? 0) > 75) return 'invalid_blocks';
      if (b.type === 'context' && typeof label === 'string' && label.length > 3000) return 'invalid_blocks';
    }
    if (b.type === 'actions' && ((b.elements as unknown[]).length > 25)) return 'invalid_blocks';
  }
  if (JSON.stringify(blocks).length > 13_200) return 'msg_blocks_too_long';
  return null;
}

const parseJsonField = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? JSON.parse(v) as T : (v as T | undefined) ?? fallback);

/**
 * A fake Slack Web API on loopback: records every call, keeps the messages, DMs, ephemeral
 * replies and modals as Slack would, refuses what breaks Block Kit's limits, and can be told to
 * answer 429 with Retry-After or an error such as channel_not_found for the next calls.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeSlackMessage[] = [];
  readonly ephemerals: { channel: string; user: string; text: string; threadTs: string | null }[] = [];
  readonly views: { triggerId: string; view: Record<string, unknown> }[] = [];
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Methods that answer with an error until removed (e.g. files.getUploadURLExternal → missing_scope). */
  readonly failOn = new Map<string, string>();
  /** Files shared through files.completeUploadExternal, with the bytes uploaded for them. */
  readonly files: { id: string; channel: string; threadTs: string | null; title: string; alt: string; bytes: number }[] = [];
  private readonly uploads = new Map<string, { bytes: number; alt: string; filename: string }>();
  /** Slack user id → email, for users.info and users.lookupByEmail. */
  readonly users = new Map<string, string>();
  /** Channel id → name, for conversations.info. */
  readonly channelNames = new Map<string, string>();
  /** Slack's per-channel limit, enforced when set: a token bucket of `burst`, refilled `perSecond`. */
  limit: { perSecond: number; burst: number } | null = null;
  /** How many posts the limit refused with 429. */
  limited = 0;
  private buckets = new Map<string, { tokens: number; at: number }>();
  /** Answers chat.postMessage this late (the message is already stored): a window to die in. */
  postDelayMs = 0;
  /** Where apps.connections.open sends Socket Mode clients (a FakeSlackSocket). */
  socketUrl: string | null = null;
  private server: Server | null = null;
  private readonly script: Scripted[] = [];
  private seq = 1_700_000_000;
  private lastMicros = 0;
  url = '';

  failNext(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A Slack timestamp: the time now, in microseconds, and strictly increasing as Slack's are within a channel. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 1, Date.now() * 1000);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  /** A person writes: the message Slack would then send an event for. */
  addUserMessage(channel: string, user: string, text: string, threadTs: string | null = null): FakeSlackMessage {
    const m = { channel, ts: this.nextTs(), user, text, blocks: [], threadTs, metadata: null };
    this.messages.push(m);
    return m;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '/').replace(/^\/(api\/)?/, '').split('?')[0]!;
        if (method.startsWith('upload/')) {
          const u = this.uploads.get(method.slice('upload/'.length));
          if (u) u.bytes = Buffer.concat(chunks).length;
          res.writeHead(u ? 200 : 404, { 'content-type': 'text/plain' });
          res.end(u ? `OK - ${u.bytes}` : 'not found');
          return;
        }
        const raw = Buffer.concat(chunks).toString();
        let body: Record<string, unknown>;
        try {
          body = (req.headers['content-type'] ?? '').includes('json')
            ? (JSON.parse(raw || '{}') as Record<string, unknown>)
            : Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
        } catch {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'invalid_json' }));
          return;
        }
        if (this.limit && method === 'chat.postMessage' && !this.take(String(body.channel))) {
          this.limited++;
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        const next: Scripted | undefined = this.failOn.has(method) ? { error: this.failOn.get(method)! } : this.script.shift();
        if (next && 'status' in next) {
          res.writeHead(429, { 'retry-after': String(next.retryAfter), 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        this.calls.push({ method, body, at: Date.now() });
        let answer: Record<string, unknown>;
        try {
          answer = next ? { ok: false, error: next.error } : this.answer(method, body);
        } catch (e) {
          answer = { ok: false, error: 'invalid_arguments', detail: (e as Error).message };
        }
        const send = () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(answer)); };
        if (method === 'chat.postMessage' && this.postDelayMs) setTimeout(send, this.postDelayMs);
        else send();
      });
    });
    await new Promise<void>((ok) => this.server!.listen({ port: 0, host: '127.0.0.1' }, () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/`;
    return this.url;
  }

  private take(channel: string): boolean {
    const now = Date.now();
    const b = this.buckets.get(channel) ?? { tokens: this.limit!.burst, at: now };
    b.tokens = Math.min(this.limit!.burst, b.tokens + ((now - b.at) / 1000) * this.limit!.perSecond);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'chat.postMessage': {
        const text = String(body.text ?? '');
        const blocks = parseJsonField<Record<string, unknown>[]>(body.blocks, []);
        if (!text && !blocks.length) return { ok: false, error: 'no_text' };
        const bad = checkBlocks(text, blocks);
        if (bad) return { ok: false, error: bad };
        const m: FakeSlackMessage = {
          channel: String(body.channel), ts: this.nextTs(), user: null, text, blocks,
          threadTs: body.thread_ts ? String(body.thread_ts) : null, metadata: parseJsonField(body.metadata, null),
        };
        this.messages.push(m);
        return { ok: true, channel: m.channel, ts: m.ts, message: { text, ts: m.ts } };
      }
      case 'chat.update': {
        const m = this.messages.find((x) => x.channel === body.channel && x.ts === body.ts);
        if (!m) return { ok: false, error: 'message_not_found' };
        if (m.user) return { ok: false, error: 'cant_update_message' };
        const text = String(body.text ?? m.text);
        const blocks = parseJsonField<Record<string, unknown>[]>(body.blocks, m.blocks);
        const bad = checkBlocks(text, blocks);
        if (bad) return { ok: false, error: bad };
        Object.assign(m, { text, blocks });
        return { ok: true, channel: body.channel, ts: body.ts };
      }
      case 'chat.postEphemeral':
        this.ephemerals.push({ channel: String(body.channel), user: String(body.user), text: String(body.text ?? ''), threadTs: body.thread_ts ? String(body.thread_ts) : null });
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users).replace(/\W/g, '')}` } };
      case 'conversations.info': {
        const id = String(body.channel);
        return this.channelNames.has(id) ? { ok: true, channel: { id, name: this.channelNames.get(id) } } : { ok: false, error: 'channel_not_found' };
      }
      case 'conversations.history':
      case 'conversations.replies':
        return this.page(method, body);
      case 'users.info': {
        const email = this.users.get(String(body.user));
        return email ? { ok: true, user: { id: body.user, profile: { email } } } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const found = [...this.users].find(([, e]) => e === String(body.email).toLowerCase());
        return found ? { ok: true, user: { id: found[0], profile: { email: found[1] } } } : { ok: false, error: 'users_not_found' };
      }
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'not_allowed_token_type' };
      case 'files.getUploadURLExternal': {
        const id = `F${this.seq++}`;
        this.uploads.set(id, { bytes: 0, alt: String(body.alt_txt ?? body.alt_text ?? ''), filename: String(body.filename ?? '') });
        return { ok: true, file_id: id, upload_url: `${this.url.replace(/api\/$/, '')}upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const files = parseJsonField<{ id: string; title?: string }[]>(body.files, []);
        for (const f of files) {
          const u = this.uploads.get(f.id);
          if (!u || !u.bytes) return { ok: false, error: 'file_not_found' };
          this.files.push({ id: f.id, channel: String(body.channel_id), threadTs: body.thread_ts ? String(body.thread_ts) : null, title: f.title ?? '', alt: u.alt, bytes: u.bytes });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id })) };
      }
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0WARDLINE' };
      case 'views.open':
        this.views.push({ triggerId: String(body.trigger_id), view: parseJsonField(body.view, {}) });
        return { ok: true, view: { id: `V${this.seq++}` } };
      case 'views.publish':
        this.homes.set(String(body.user_id), parseJsonField(body.view, {}));
        return { ok: true, view: { id: `V${this.seq++}` } };
      case 'views.update':
        return { ok: true, view: { id: `V${this.seq++}` } };
      default:
        return { ok: true };
    }
  }

  /**
   * conversations.history (top-level messages, newest first; limit 100 by default, at most 999) and
   * conversations.replies (the thread's parent and replies, oldest first; at most 1000), as Slack
   * pages them: `oldest`/`latest` (exclusive unless `inclusive`), `limit`, and an opaque `cursor`
   * answered by `has_more` and `response_metadata.next_cursor` ('' on the last page).
   */
  private page(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const replies = method === 'conversations.replies';
    const inThread = (m: FakeSlackMessage) => m.ts === body.ts || m.threadTs === body.ts;
    const inclusive = ['true', '1'].includes(String(body.inclusive));
    const after = (ts: string, bound: unknown) => bound === undefined || (inclusive ? Number(ts) >= Number(bound) : Number(ts) > Number(bound));
    const before = (ts: string, bound: unknown) => bound === undefined || (inclusive ? Number(ts) <= Number(bound) : Number(ts) < Number(bound));
    let found = this.messages.filter((m) => m.channel === body.channel && (replies ? inThread(m) : !m.threadTs)
      && after(m.ts, body.oldest) && before(m.ts, body.latest));
    if (!replies) found = found.reverse();
    const max = replies ? 1000 : 999;
    const limit = Math.min(max, Math.max(1, Number(body.limit ?? (replies ? 1000 : 100)) || 100));
    let start = 0;
    if (body.cursor) {
      const from = Buffer.from(String(body.cursor), 'base64').toString().replace(/^next_ts:/, '');
      start = found.findIndex((m) => m.ts === from);
      if (start < 0) return { ok: false, error: 'invalid_cursor' };
    }
    const slice = found.slice(start, start + limit);
    const next = found[start + limit];
    const all = ['true', '1'].includes(String(body.include_all_metadata));
    return {
      ok: true, has_more: next !== undefined,
      messages: slice.map((m) => ({ ts: m.ts, text: m.text, user: m.user ?? undefined, bot_id: m.user ? undefined : 'BBOT', ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...(all && m.metadata ? { metadata: m.metadata } : {}) })),
      response_metadata: { next_cursor: next ? Buffer.from(`next_ts:${next.ts}`).toString('base64') : '' },
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
