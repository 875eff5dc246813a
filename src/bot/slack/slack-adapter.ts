import { AsyncLocalStorage } from 'node:async_hooks';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { CaseContext } from '../../cases/case-service.js';
import type { Db } from '../../db/client.js';
import { findPersonByChatId, linkChatIdentity } from '../../db/directory-repo.js';
import { inboundBatcher } from '../../db/inbound-repo.js';
import { startInboundWorker, type InboundWorker } from '../inbound-worker.js';
import { parseMessage } from '../../intake/parse-message.js';
import type { Logger } from '../../shared/logger.js';
import type { HttpRoutes } from '../../shared/http-port.js';
import { ACTION_IDS, type ActionId, type InboundEvent, type InboundReply } from '../chat-port.js';
import type { ConversationFlows } from '../flows/conversation-flows.js';
import type { AdapterDeps } from '../adapter-deps.js';
import { createChannelNames } from './channel-names.js';
import { createSlackCall, type SlackCall } from './slack-web-call.js';
import { cachedAuthorize } from './slack-authorize.js';
import { registerSlackSurfaces } from './slack-surfaces.js';
import { SlackHttpReceiver } from './slack-receiver.js';
import { SlackSocketReceiver } from './slack-socket-receiver.js';
import { handleStored, type StoredTurn } from './slack-stored.js';
import { pickList, type PickList } from '../pick-list.js';
import { ackPriority } from '../ack-priority.js';

export interface SlackAdapterOptions extends AdapterDeps {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  /** Stored events handled together in one transaction. */
  inboundBatch?: number;
}

export interface SlackAdapter {
  client: WebClient;
  /** The outbox's posts and edits: lean JSON calls to the same Web API (slack-web-call.ts). */
  call: SlackCall;
  mode: 'http' | 'socket';
  addRoutes(routes: HttpRoutes): void;
  /** Resolves when every Slack request taken so far has been handled. */
  idle(): Promise<void>;
  /** True while stored Slack events are being handled. */
  busy(): boolean;
  /** Socket Mode: connects. HTTP mode: handles the events the web role stored (worker and all roles). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the listeners need: the flows, people by Slack id (or email), channel names, pick lists. */
export interface SlackKit {
  client: WebClient;
  flows: ConversationFlows;
  logger: Logger;
  zone: string;
  db: Db;
  loadContext: () => Promise<CaseContext>;
  listening(channelId: string, channelName: string): boolean;
  channelName(channelId: string): Promise<string>;
  /** Makes sure the Slack user is known by id when the directory has their email. */
  knowPerson(userId: string): Promise<void>;
  lists(): Promise<PickList>;
  prefill(text: string, userId: string): Promise<{ wardId: string | null; serviceId: string | null }>;
  handle(ev: InboundEvent, ephemeralTo?: { channel: string; user: string; threadTs?: string | null }): Promise<InboundReply>;
  isAction(id: string): id is ActionId;
}

/**
 * The Slack adapter: Bolt in HTTP mode (mounted at /slack/events in wardline's server) or Socket
 * Mode. Listeners only translate; the conversation flows decide; replies go through the outbox.
 */
export function createSlackAdapter(o: SlackAdapterOptions): SlackAdapter {
  const socket = !!o.appToken && !o.signingSecret;
  let worker: InboundWorker | null = null;
  /** Set while a stored event is handled: a failure is recorded so the event is tried again. */
  const stored = new AsyncLocalStorage<StoredTurn>();
  const store = inboundBatcher(o.db, 'slack', () => o.clock.now());
  const acks = ackPriority();
  const enqueue = async (key: string, body: Record<string, unknown>) => {
    acks.arrived();
    const outcome = await store(key, body);
    if (outcome.kind === 'stored') worker?.wake();
    return outcome;
  };
  const receiver = socket ? null : new SlackHttpReceiver({ signingSecret: o.signingSecret!, clock: o.clock, logger: o.logger, enqueue });
  const clientOptions = { ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}), rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
  const client = new WebClient(o.botToken, clientOptions);
  const call = createSlackCall(o.botToken, o.apiUrl);
  const app = new App({
    // Who the bot is is asked of Slack once, not once per event.
    authorize: cachedAuthorize(client, o.botToken),
    // Socket Mode's own Web API client (apps.connections.open) honours SLACK_API_URL too.
    receiver: receiver ?? new SlackSocketReceiver({ appToken: o.appToken!, clientOptions, logger: o.logger, enqueue }),
    clientOptions, logLevel: LogLevel.ERROR,
  });
  const channelNames = createChannelNames(async (id) => (await client.conversations.info({ channel: id })).channel?.name ?? null, o.clock);
  const unknown = new Map<string, number>();
  /** Slack users already linked to a person: no lookup on their next event. */
  const known = new Set<string>();
  const listen = new Set(o.listenChannels.map((c) => c.replace(/^#/, '').toLowerCase()));

  const kit: SlackKit = {
    client, flows: o.flows, logger: o.logger, zone: o.zone, db: o.db, loadContext: o.loadContext,
    listening: (id, name) => listen.has(id.toLowerCase()) || (!!name && listen.has(name.toLowerCase())),
    channelName: channelNames,
    async knowPerson(userId) {
      if (known.has(userId)) return;
      if (await findPersonByChatId(o.db, 'slack', userId)) { known.add(userId); return; }
      const last = unknown.get(userId);
      if (last && o.clock.now().getTime() - last < 600_000) return;
      unknown.set(userId, o.clock.now().getTime());
      const email = await client.users.info({ user: userId }).then((r) => r.user?.profile?.email ?? null, () => null);
      const person = email ? (await o.loadContext()).directory.byEmail.get(email.toLowerCase()) : undefined;
      if (person) {
        await linkChatIdentity(o.db, 'slack', userId, person.id);
        o.invalidateContext?.();
      }
    },
    lists: async () => pickList(await o.loadContext()),
    async prefill(text, userId) {
      const ctx = await o.loadContext();
      const personId = await findPersonByChatId(o.db, 'slack', userId);
      const person = personId ? ctx.directory.byId.get(personId) : undefined;
      const r = parseMessage({ text, platform: 'slack' }, { sender: { role: person?.roles[0] ?? null, wards: person?.wardIds ?? [] }, catalogue: ctx.index.catalogue, streets: ctx.streets, model: ctx.intakeModel });
      return { wardId: r.cases[0]?.ward ?? r.draft?.ward ?? null, serviceId: r.cases[0]?.service ?? r.draft?.service ?? null };
    },
    async handle(ev, ephemeralTo) {
      await kit.knowPerson(ev.userExternalId);
      const inStored = stored.getStore();
      const reply = inStored ? await inStored.collect(ev) : await o.flows.handle(ev);
      if (reply.failed && inStored) {
        inStored.failed = reply.ephemeral ?? 'failed';
        return {};
      }
      if (reply.ephemeral && ephemeralTo) {
        await client.chat.postEphemeral({
          channel: ephemeralTo.channel, user: ephemeralTo.user, text: reply.ephemeral, ...(ephemeralTo.threadTs ? { thread_ts: ephemeralTo.threadTs } : {}),
        }).catch((e: unknown) => o.logger.warn({ err: (e as Error).message }, 'could not send an ephemeral reply'));
      }
      return reply;
    },
    isAction: (id): id is ActionId => (ACTION_IDS as readonly string[]).includes(id),
  };
  registerSlackSurfaces(app, kit);
  app.error(async (e) => { o.logger.error({ err: e }, 'Slack listener error'); });

  return {
    client,
    call,
    mode: socket ? 'socket' : 'http',
    addRoutes(routes) {
      if (receiver) routes.post('/slack/events', receiver.handle);
    },
    busy: () => worker?.busy() ?? false,
    idle: async () => {
      await receiver?.idle();
      await worker?.idle();
    },
    async start() {
      if (socket) await app.start();
      worker = startInboundWorker({
        db: o.db, clock: o.clock, logger: o.logger, platform: 'slack', pollMs: 250, ...(o.inboundBatch ? { batchSize: o.inboundBatch } : {}),
        handleBatch: (bodies) => handleStored(app, stored, o.flows, bodies), giveWay: acks.giveWay,
      });
    },
    async stop() {
      await worker?.stop();
      if (socket) await app.stop();
    },
  };
}
