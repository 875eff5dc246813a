import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { HttpProblem } from './http-problem.js';
import { rawBody } from './raw-routes.js';

export interface WorkspaceApiDeps {
  db: Db;
  clock: Clock;
  flows: ConversationFlows;
  events: WorkspaceEvents;
  loadContext: () => Promise<CaseContext>;
}

/** Message ids are bigint: at most 18 digits (more could be out of its range). */
const MESSAGE_ID = /^\d{1,18}$/;

/** Up to 40,000 characters are a message; the body limit leaves room for JSON escaping. */
const postMessage = z.object({ as: z.string().uuid(), text: z.string().min(1, 'Write something first.').max(200_000), threadId: z.string().regex(MESSAGE_ID).nullish() });
const postAction = z.object({
  as: z.string().uuid(), messageId: z.string().regex(MESSAGE_ID), actionId: z.enum(ACTION_IDS), value: z.string().max(200), input: z.string().max(40_000).nullish(),
});

async function json<T>(request: FastifyRequest, schema: z.ZodType<T>): Promise<T> {
  // Cleaned of what the database cannot store (NUL, lone surrogates); too deep is refused.
  const data = parseInboundJson(rawBody(request).toString('utf8'));
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

/** One query parameter (the first, if repeated). */
function queryOne(request: FastifyRequest, name: string): string | null {
  const v = (request.query as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

/** The built-in workspace's JSON API (documented in the README) and its live event stream. */
export function workspaceApi(deps: WorkspaceApiDeps): { plugin: (app: FastifyInstance) => Promise<void>; closeStreams(): void } {
  const streams = new Set<ServerResponse>();
  const plugin = async (app: FastifyInstance) => {
    addReadRoutes(app, deps);
    addWriteRoutes(app, deps);
    app.get('/api/workspace/events', { exposeHeadRoute: false }, async (_request, reply) => {
      reply.hijack();
      const res = reply.raw;
      // Cleaned up on close, which may come at any point, even before here (the client left while
      // the request waited): a stream whose close was missed would keep its timer and listener for ever.
      let closed = false;
      let stop = () => undefined as void;
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      const cleanUp = () => { closed = true; clearInterval(ping); stop(); streams.delete(res); };
      res.on('close', cleanUp);
      if (res.destroyed || res.socket?.destroyed !== false) { cleanUp(); return; }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      streams.add(res);
      const unlisten = await deps.events.listen((change) => res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
      if (closed) { unlisten(); return; }
      stop = unlisten;
    });
  };
  return { plugin, closeStreams: () => { for (const s of streams) s.end(); } };
}

async function persona(deps: WorkspaceApiDeps, id: string | null): Promise<Person> {
  const ctx = await deps.loadContext();
  const p = id ? ctx.directory.byId.get(id) : undefined;
  if (!p || !p.active) throw new HttpProblem(403, 'unknown_persona', 'Pick a person from the directory first (the "as" parameter).');
  return p;
}

/** Channel ids are slugs (`general`, `ward-erdington`, `dm-<person id>`): nothing else can name one. */
const CHANNEL_ID = /^[A-Za-z0-9_-]{1,200}$/;

async function channelFor(deps: WorkspaceApiDeps, id: string, p: Person) {
  // Checked before the database sees it: PostgreSQL refuses text with NUL (a 500, not an answer).
  if (!CHANNEL_ID.test(id)) throw new HttpProblem(404, 'no_channel', 'There is no such channel for this person.');
  if (id === directChannelId(p.id)) {
    await ensureChannel(deps.db, { id, name: 'wardline', kind: 'dm', personId: p.id, listening: false }, deps.clock.now());
  }
  const c = await getChannel(deps.db, id);
  if (!c || (c.kind === 'dm' && c.personId !== p.id)) throw new HttpProblem(404, 'no_channel', 'There is no such channel for this person.');
  return c;
}

function addReadRoutes(app: FastifyInstance, deps: WorkspaceApiDeps): void {
  const { db } = deps;
  app.get('/api/workspace/people', async () => {
    const ctx = await deps.loadContext();
    const people = ctx.directory.people.filter((p) => p.active).map((p) => ({
      id: p.id, name: p.name, roles: p.roles, wards: p.wardIds.map((w) => ctx.index.ward(w)?.name ?? w),
    }));
    return { people };
  });

  app.get('/api/workspace/options', async () => pickList(await deps.loadContext()));

  app.get('/api/workspace/channels', async (request) => {
    const p = await persona(deps, queryOne(request, 'as'));
    await ensureChannel(db, { id: directChannelId(p.id), name: 'wardline', kind: 'dm', personId: p.id, listening: false }, deps.clock.now());
    return { channels: await channelsFor(db, p.id) };
  });

  app.get('/api/workspace/channels/:id/messages', async (request) => {
    const c = await channelFor(deps, param(request, 'id'), await persona(deps, queryOne(request, 'as')));
    const threadId = queryOne(request, 'thread');
    if (threadId && !MESSAGE_ID.test(threadId)) throw new HttpProblem(400, 'bad_thread', 'thread must be a message id.');
    return { channel: c, messages: await listMessages(db, c.id, threadId ? { threadId } : {}) };
  });
}

function addWriteRoutes(app: FastifyInstance, deps: WorkspaceApiDeps): void {
  const { db } = deps;
  app.post('/api/workspace/channels/:id/messages', async (request, reply) => {
    const body = await json(request, postMessage);
    const p = await persona(deps, body.as);
    const c = await channelFor(deps, param(request, 'id'), p);
    const threadId = body.threadId ?? null;
    if (threadId) {
      const root = await getMessage(db, threadId);
      if (!root || root.channelId !== c.id) throw new HttpProblem(404, 'no_thread', 'That thread is not in this channel.');
    }
    const messageId = await insertMessage(db, { channelId: c.id, threadId, authorId: p.id, text: body.text }, deps.clock.now());
    await deps.events.publish({ channelId: c.id, messageId, threadId });
    const answer = await deps.flows.handle({
      kind: 'message', eventId: `ws-msg-${messageId}`, address: { platform: 'local', channelId: c.id, threadId }, messageId,
      channelName: c.name, isDirect: c.kind === 'dm', mentionsBot: /@wardline\b/i.test(body.text), listening: c.listening,
      userExternalId: p.email.toLowerCase(), text: body.text, attachments: [],
    });
    return reply.code(201).send({ messageId, ...answer });
  });

  app.post('/api/workspace/actions', async (request) => {
    const body = await json(request, postAction);
    const p = await persona(deps, body.as);
    const m = await getMessage(db, body.messageId);
    if (!m) throw new HttpProblem(404, 'no_message', 'That message no longer exists.');
    await channelFor(deps, m.channelId, p);
    return deps.flows.handle({
      kind: 'action', eventId: `ws-act-${randomUUID()}`, address: { platform: 'local', channelId: m.channelId, threadId: m.threadId },
      messageId: m.id, userExternalId: p.email.toLowerCase(), actionId: body.actionId, value: body.value, input: body.input ?? null,
    });
  });
}
