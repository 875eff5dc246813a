import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ACTION_IDS } from '../bot/chat-port.js';
import type { ConversationFlows } from '../bot/flows/conversation-flows.js';
import type { WorkspaceEvents } from '../bot/local/workspace-events.js';
import type { CaseContext } from '../cases/case-service.js';
import type { Db } from '../db/client.js';
import { channelsFor, directChannelId, ensureChannel, getChannel, getMessage, insertMessage, listMessages } from '../db/workspace-repo.js';
import type { Person } from '../directory/person.js';
import { parseInboundJson } from '../shared/clean-text.js';
import type { Clock } from '../shared/clock.js';
import { pickList } from '../bot/pick-list.js';
import { readBody, sendJson, type Router } from './http-router.js';

export interface WorkspaceApiDeps {
  db: Db;
  clock: Clock;
  flows: ConversationFlows;
  events: WorkspaceEvents;
  loadContext: () => Promise<CaseContext>;
}

/** Up to 40,000 characters are a message; the body limit leaves room for JSON escaping. */
const postMessage = z.object({ as: z.string().uuid(), text: z.string().min(1, 'Write something first.').max(200_000), threadId: z.string().regex(/^\d+$/).nullish() });
const postAction = z.object({
  as: z.string().uuid(), messageId: z.string().regex(/^\d+$/), actionId: z.enum(ACTION_IDS), value: z.string().max(200), input: z.string().max(40_000).nullish(),
});

class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function json<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const body = await readBody(req, 1_000_000);
  // Cleaned of what the database cannot store (NUL, lone surrogates); too deep is refused.
  const data = parseInboundJson(body.toString('utf8'));
  if (!data.ok) {
    throw new HttpProblem(data.status, data.code, data.code === 'invalid_json' ? 'The body is not JSON; send {"as": "<person id>", ...}.' : data.message);
  }
  const parsed = schema.safeParse(data.value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new HttpProblem(422, 'invalid_request', `${i.path.join('.') || 'body'}: ${i.message}`);
  }
  return parsed.data;
}

/** The built-in workspace's JSON API (documented in the README) and its live event stream. */
export function addWorkspaceApi(router: Router, deps: WorkspaceApiDeps): { closeStreams(): void } {
  const { db } = deps;
  const streams = new Set<ServerResponse>();

  async function persona(id: string | null): Promise<Person> {
    const ctx = await deps.loadContext();
    const p = id ? ctx.directory.byId.get(id) : undefined;
    if (!p || !p.active) throw new HttpProblem(403, 'unknown_persona', 'Pick a person from the directory first (the "as" parameter).');
    return p;
  }
  async function channelFor(id: string, p: Person) {
    if (id === directChannelId(p.id)) {
      await ensureChannel(db, { id, name: 'wardline', kind: 'dm', personId: p.id, listening: false }, deps.clock.now());
    }
    const c = await getChannel(db, id);
    if (!c || (c.kind === 'dm' && c.personId !== p.id)) throw new HttpProblem(404, 'no_channel', 'There is no such channel for this person.');
    return c;
  }
  const wrap = (fn: (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, url: URL) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => {
      try {
        await fn(req, res, params, new URL(req.url ?? '/', 'http://localhost'));
      } catch (e) {
        if (e instanceof HttpProblem) sendJson(res, e.status, { error: e.code, message: e.message });
        else throw e;
      }
    };

  router.add('GET', '/api/workspace/people', wrap(async (_req, res) => {
    const ctx = await deps.loadContext();
    const people = ctx.directory.people.filter((p) => p.active).map((p) => ({
      id: p.id, name: p.name, roles: p.roles, wards: p.wardIds.map((w) => ctx.index.ward(w)?.name ?? w),
    }));
    sendJson(res, 200, { people });
  }));

  router.add('GET', '/api/workspace/options', wrap(async (_req, res) => {
    sendJson(res, 200, pickList(await deps.loadContext()));
  }));

  router.add('GET', '/api/workspace/channels', wrap(async (_req, res, _p, url) => {
    const p = await persona(url.searchParams.get('as'));
    await ensureChannel(db, { id: directChannelId(p.id), name: 'wardline', kind: 'dm', personId: p.id, listening: false }, deps.clock.now());
    sendJson(res, 200, { channels: await channelsFor(db, p.id) });
  }));

  router.add('GET', '/api/workspace/channels/:id/messages', wrap(async (_req, res, params, url) => {
    const c = await channelFor(params.id!, await persona(url.searchParams.get('as')));
    const threadId = url.searchParams.get('thread');
    if (threadId && !/^\d+$/.test(threadId)) throw new HttpProblem(400, 'bad_thread', 'thread must be a message id.');
    sendJson(res, 200, { channel: c, messages: await listMessages(db, c.id, threadId ? { threadId } : {}) });
  }));

  router.add('POST', '/api/workspace/channels/:id/messages', wrap(async (req, res, params) => {
    const body = await json(req, postMessage);
    const p = await persona(body.as);
    const c = await channelFor(params.id!, p);
    const threadId = body.threadId ?? null;
    if (threadId) {
      const root = await getMessage(db, threadId);
      if (!root || root.channelId !== c.id) throw new HttpProblem(404, 'no_thread', 'That thread is not in this channel.');
    }
    const messageId = await insertMessage(db, { channelId: c.id, threadId, authorId: p.id, text: body.text }, deps.clock.now());
    await deps.events.publish({ channelId: c.id, messageId, threadId });
    const reply = await deps.flows.handle({
      kind: 'message', eventId: `ws-msg-${messageId}`, address: { platform: 'local', channelId: c.id, threadId }, messageId,
      channelName: c.name, isDirect: c.kind === 'dm', mentionsBot: /@wardline\b/i.test(body.text), listening: c.listening,
      userExternalId: p.email.toLowerCase(), text: body.text, attachments: [],
    });
    sendJson(res, 201, { messageId, ...reply });
  }));

  router.add('POST', '/api/workspace/actions', wrap(async (req, res) => {
    const body = await json(req, postAction);
    const p = await persona(body.as);
    const m = await getMessage(db, body.messageId);
    if (!m) throw new HttpProblem(404, 'no_message', 'That message no longer exists.');
    await channelFor(m.channelId, p);
    const reply = await deps.flows.handle({
      kind: 'action', eventId: `ws-act-${randomUUID()}`, address: { platform: 'local', channelId: m.channelId, threadId: m.threadId },
      messageId: m.id, userExternalId: p.email.toLowerCase(), actionId: body.actionId, value: body.value, input: body.input ?? null,
    });
    sendJson(res, 200, reply);
  }));

  router.add('GET', '/api/workspace/events', wrap(async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    const stop = await deps.events.listen((change) => res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    streams.add(res);
    req.on('close', () => { clearInterval(ping); stop(); streams.delete(res); });
  }));

  return { closeStreams: () => { for (const s of streams) s.end(); } };
}
