import { createServer, type Server } from 'node:http';

/** An activity as the Bot Connector stores it: sent by a person (`from` set) or by wardline. */
export interface ConnectorActivity {
  id: string;
  conversation: string;
  replyToId: string | null;
  from: { id: string; name?: string } | null;
  text: string;
  attachments: { contentType: string; content: Record<string, unknown> }[];
  updates: number;
}

type Scripted = { status: number; retryAfter?: number };

/**
 * A fake Bot Connector (the `serviceUrl` of Teams activities) on loopback: conversations,
 * activities and replies (`/v3/conversations/{id}/activities[/{replyToId}]`), edits, members,
 * opening personal chats; it can answer 429 with Retry-After, 412, 413, 502 or 504 on demand.
 */
export class FakeBotConnector {
  readonly activities: ConnectorActivity[] = [];
  readonly calls: { method: string; path: string; body: Record<string, unknown> | null; at: number }[] = [];
  /** Teams user id (29:…) or AAD object id → their email, for GET members. */
  readonly members = new Map<string, { email: string; aadObjectId: string; name: string }>();
  /** AAD object ids the app is not installed for: opening a chat with them fails with 403. */
  readonly unreachable = new Set<string>();
  private readonly script: Scripted[] = [];
  private seq = 1_000;
  private server: Server | null = null;
  url = '';

  failNext(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  nextId(): string {
    return String(1_700_000_000_000 + this.seq++);
  }

  add(a: Omit<ConnectorActivity, 'id' | 'updates'>): ConnectorActivity {
    const stored = { ...a, id: this.nextId(), updates: 0 };
    this.activities.push(stored);
    return stored;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const raw = Buffer.concat(chunks).toString();
        const body = raw ? JSON.parse(raw) as Record<string, unknown> : null;
        this.calls.push({ method: req.method ?? 'GET', path, body, at: Date.now() });
        const answer = (status: number, value: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(value));
        };
        const next = this.script.shift();
        if (next) return answer(next.status, { error: { code: `Http${next.status}`, message: 'scripted failure' } }, next.retryAfter ? { 'retry-after': String(next.retryAfter) } : {});
        const parts = path.split('/').filter(Boolean).map(decodeURIComponent); // v3, conversations, {id}, activities|members, {id}
        if (req.method === 'POST' && parts.length === 2) {
          const member = String(((body?.members as { id: string }[] | undefined) ?? [])[0]?.id ?? '');
          if (this.unreachable.has(member)) return answer(403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
          return answer(201, { id: `a:${member}` });
        }
        const conversation = parts[2]!;
        if (parts[3] === 'members' && req.method === 'GET') {
          const m = this.members.get(parts[4]!);
          return m ? answer(200, { id: parts[4], name: m.name, aadObjectId: m.aadObjectId, email: m.email, userPrincipalName: m.email }) : answer(404, { error: { code: 'MemberNotFoundInConversation' } });
        }
        if (parts[3] === 'activities' && req.method === 'POST') {
          const a = body as { text?: string; attachments?: ConnectorActivity['attachments']; type?: string };
          if (a.type === 'typing') return answer(200, { id: this.nextId() });
          if (JSON.stringify(a).length > 28_000) return answer(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
          const stored = this.add({ conversation, replyToId: parts[4] ?? null, from: null, text: a.text ?? '', attachments: a.attachments ?? [] });
          return answer(201, { id: stored.id });
        }
        if (parts[3] === 'activities' && req.method === 'PUT') {
          const found = this.activities.find((x) => x.conversation === conversation && x.id === parts[4]);
          if (!found) return answer(404, { error: { code: 'ActivityNotFoundInConversation' } });
          const a = body as { text?: string; attachments?: ConnectorActivity['attachments'] };
          Object.assign(found, { text: a.text ?? '', attachments: a.attachments ?? [], updates: found.updates + 1 });
          return answer(200, { id: found.id });
        }
        return answer(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
      });
    });
    await new Promise<void>((ok) => this.server!.listen({ port: 0, host: '127.0.0.1' }, () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
