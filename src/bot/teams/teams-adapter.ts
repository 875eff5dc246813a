import type { TurnState } from '@microsoft/teams-ai';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory, type Activity, type TurnContext } from 'botbuilder';
import { findPersonByChatId, linkChatIdentity } from '../../db/directory-repo.js';
import { saveTeamsConversation } from '../../db/teams-repo.js';
import { headerOf, problem, type HttpRoutes, type RawRequest, type RawResponse } from '../../shared/http-port.js';
import { ACTION_IDS, type ActionId, type InboundEvent } from '../chat-port.js';
import type { AdapterDeps } from '../adapter-deps.js';
import { pickList, type PickList } from '../pick-list.js';
import { TeamsConnector } from './teams-connector.js';
import { hushLibraryConsole, installConsoleFilter } from './quiet-console.js';
import { escalateTask, refreshCard } from './teams-surfaces.js';

const UNAUTHORIZED = 'Refused: the request has no valid Bot Framework token. Check MICROSOFT_APP_ID.';

export interface TeamsAdapterOptions extends AdapterDeps {
  appId?: string | undefined;
  appPassword?: string | undefined;
  tenantId?: string | undefined;
  appType?: string | undefined;
  /** Bot Framework's OpenID metadata (tests and sovereign clouds point it elsewhere). */
  openIdMetadataUrl?: string | undefined;
  loginUrl?: string | undefined;
}

export interface TeamsAdapterHandle {
  connector: TeamsConnector;
  lists(): Promise<PickList>;
  addRoutes(routes: HttpRoutes): void;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A channel's reply chain arrives as `19:…@thread.tacv2;messageid=<root>`: the channel and its thread. */
export function splitConversation(id: string): { channelId: string; threadId: string | null } {
  const m = /^(.*);messageid=(\d+)$/.exec(id);
  return m ? { channelId: m[1]!, threadId: m[2]! } : { channelId: id, threadId: null };
}

/** The first line of an error's message: botbuilder's messages for a refused token hold no request data. */
const oneLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);

/** What botbuilder's `process` does to a body before its turn: the times as dates, the strings kept beside them. */
function asActivity(body: Record<string, unknown>): Activity {
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof body[field] === 'string') { body[raw] = body[field]; body[field] = new Date(body[field]); }
  }
  return body as unknown as Activity;
}

/** CloudAdapter's own step behind `process` (protected in its types, the one `process` calls), which returns the invoke response. */
interface ProcessActivity {
  processActivity(authHeader: string, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<{ status: number; body?: unknown } | undefined>;
}

/**
 * The Teams adapter on teams-ai: `/api/messages` with Bot Framework JWT validation (whenever an
 * app id is set), personal chats, mentions, listened channels, Universal Actions, the
 * "Escalate this message" action. Listeners only translate; the conversation flows decide.
 */
export function createTeamsAdapter(o: TeamsAdapterOptions): TeamsAdapterHandle {
  const auth = {
    MicrosoftAppId: o.appId ?? '', MicrosoftAppPassword: o.appPassword ?? '', MicrosoftAppTenantId: o.tenantId ?? '', MicrosoftAppType: o.appType ?? 'MultiTenant',
    // Setting any endpoint makes botbuilder take all of them from here: the public cloud's, but ours.
    ...(o.openIdMetadataUrl || o.loginUrl ? {
      ToBotFromChannelOpenIdMetadataUrl: o.openIdMetadataUrl ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToChannelFromBotLoginUrl: o.loginUrl ?? 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com', ToBotFromChannelTokenIssuer: 'https://api.botframework.com', OAuthUrl: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration', CallerId: 'urn:botframework:azure', ValidateAuthority: true,
    } : {}),
  };
  installConsoleFilter();
  const adapter = new TeamsAdapter(auth);
  adapter.onTurnError = async (_ctx, e) => { o.logger.error({ err: e }, 'Teams turn failed'); };
  const app = new Application<TurnState>({ adapter, botAppId: o.appId ?? '', removeRecipientMention: false, startTypingTimer: false, longRunningMessages: false });
  const credentials = new ConfigurationServiceClientCredentialFactory(auth);
  const connector = new TeamsConnector({
    botId: o.appId ? `28:${o.appId}` : '28:wardline',
    token: async () => {
      if (!o.appId) return null;
      const c = await credentials.createCredentials(o.appId, 'https://api.botframework.com', o.loginUrl ?? 'https://login.microsoftonline.com/botframework.com', true);
      return (c as unknown as { getToken(): Promise<string> }).getToken();
    },
  });
  const listen = new Set(o.listenChannels.map((c) => c.toLowerCase()));

  const lists = async (): Promise<PickList> => pickList(await o.loadContext());

  const userOf = (a: Partial<Activity>) => String((a.from as Loose)?.aadObjectId ?? a.from?.id ?? '');
  /** Conversations already on record with this service URL (and person): not written again. */
  const remembered = new Set<string>();
  /** Remembers where the conversation is, and who is in a personal chat, for proactive posts. */
  const remember = async (a: Partial<Activity>) => {
    const conv = a.conversation as Loose | undefined;
    if (!conv?.id || !a.serviceUrl) return;
    const personal = conv.conversationType === 'personal';
    const key = `${conv.id}|${a.serviceUrl}|${personal ? userOf(a) : ''}`;
    if (remembered.has(key)) return;
    await saveTeamsConversation(o.db, {
      conversationId: splitConversation(conv.id).channelId, serviceUrl: a.serviceUrl, tenantId: conv.tenantId ?? (a.channelData as Loose)?.tenant?.id ?? null,
      kind: conv.conversationType ?? 'personal', userId: personal ? userOf(a) : null,
    }, o.clock.now());
    remembered.add(key);
  };

  /** Known by AAD object id, or by the email/UPN Teams gives for the member (then remembered). */
  const known = new Set<string>();
  const knowPerson = async (a: Partial<Activity>) => {
    const user = userOf(a);
    if (known.has(user)) return;
    if (await findPersonByChatId(o.db, 'teams', user)) { known.add(user); return; }
    const member = await connector.member(a.serviceUrl!, a.conversation!.id, a.from!.id);
    const email = (member?.email ?? member?.userPrincipalName ?? '').toLowerCase();
    const person = email ? (await o.loadContext()).directory.byEmail.get(email) : undefined;
    if (person) {
      await linkChatIdentity(o.db, 'teams', user, person.id);
      o.invalidateContext?.();
    }
  };

  const handle = async (ctx: TurnContext, ev: InboundEvent) => {
    await knowPerson(ctx.activity);
    const reply = await o.flows.handle(ev);
    return reply.ephemeral;
  };

  app.activity('message', async (ctx) => {
    const a = ctx.activity;
    if (!a.from || (a.from as Loose).role === 'bot') return;
    await remember(a);
    const conv = a.conversation as Loose;
    const { channelId, threadId } = splitConversation(conv.id);
    const isDirect = conv.conversationType === 'personal';
    const mentionsBot = (a.entities ?? []).some((e) => e.type === 'mention' && (e as Loose).mentioned?.id === a.recipient?.id);
    const channel = (a.channelData as Loose)?.channel as { id?: string; name?: string } | undefined;
    const listening = conv.conversationType === 'channel' && !!channel && (listen.has(String(channel.id).toLowerCase()) || listen.has(String(channel.name ?? '').toLowerCase()));
    if (!isDirect && !mentionsBot && !listening && !threadId) return;
    const ephemeral = await handle(ctx, {
      kind: 'message', eventId: `${conv.id}:${a.id}`, address: { platform: 'teams', channelId, threadId: threadId ?? (isDirect ? a.replyToId ?? null : null) },
      messageId: a.id!, channelName: channel?.name ?? '', isDirect, mentionsBot, listening, userExternalId: userOf(a), text: a.text ?? '',
      attachments: (a.attachments ?? []).filter((x) => x.contentUrl).map((x) => ({ name: x.name ?? 'file', url: x.contentUrl! })),
    });
    if (ephemeral) await ctx.sendActivity({ type: 'message', textFormat: 'plain', text: ephemeral });
  });

  app.adaptiveCards.actionExecute<Loose>(/^(case|clarify|duplicate)\./, async (ctx, _state, data) => {
    const a = ctx.activity;
    await remember(a);
    const actionId = String(data.wl ?? (a.value as Loose)?.action?.verb ?? '');
    if (!(ACTION_IDS as readonly string[]).includes(actionId)) return 'That button is not one wardline knows.';
    const input = typeof data.text === 'string' ? data.text
      : typeof data.person === 'string' ? data.person
        : data.service || data.ward ? JSON.stringify({ serviceId: data.service || undefined, wardId: data.ward || undefined }) : null;
    const { channelId, threadId } = splitConversation(a.conversation!.id);
    return await handle(ctx, {
      kind: 'action', eventId: `${a.conversation!.id}:${a.id}`, address: { platform: 'teams', channelId, threadId },
      messageId: a.replyToId ?? '', userExternalId: userOf(a), actionId: actionId as ActionId, value: String(data.choice ?? data.v ?? ''), input,
    }) ?? 'Done.';
  });

  // Refresh answers only the person viewing (teams-ai would otherwise re-post the card for everyone).
  app.adaptiveCards.actionExecute<Loose>('wl.refresh', async (ctx, _state, data) => {
    const result = await refreshCard({ db: o.db, zone: o.zone, loadContext: o.loadContext, lists }, String(data.v ?? ''), userOf(ctx.activity));
    const body = typeof result === 'string'
      ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result }
      : { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result };
    await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
    return result;
  });

  app.messageExtensions.fetchTask('escalate', async (ctx) => escalateTask(ctx.activity, { loadContext: o.loadContext, db: o.db, lists }));
  app.messageExtensions.submitAction<Loose>('escalate', async (ctx, _state, data) => {
    const a = ctx.activity;
    await remember(a);
    const text = String(data.text ?? '').trim();
    if (!text) return 'Say what is wrong and where.';
    // The escalation is posted in the person's chat with wardline and the case threads under it.
    const user = userOf(a);
    const serviceUrl = a.serviceUrl!;
    const tenant = (a.conversation as Loose)?.tenantId ?? null;
    const chat = await connector.openPersonalChat(serviceUrl, a.from!.id, tenant);
    await saveTeamsConversation(o.db, { conversationId: chat, serviceUrl, tenantId: tenant, kind: 'personal', userId: user }, o.clock.now());
    const root = await connector.send(serviceUrl, chat, { type: 'message', textFormat: 'plain', text: `Escalation: ${text}`.slice(0, 20_000) });
    await handle(ctx, {
      kind: 'message', eventId: `${a.conversation!.id}:${a.id}`, address: { platform: 'teams', channelId: chat, threadId: null }, messageId: root,
      channelName: '', isDirect: true, mentionsBot: true, listening: false, userExternalId: user, text, attachments: [],
      hints: { wardId: data.ward || null, serviceId: data.service || null }, escalation: true,
    });
    return null;
  });

  app.conversationUpdate('membersAdded', async (ctx) => { await remember(ctx.activity); });
  app.activity('installationUpdate', async (ctx) => { await remember(ctx.activity); });

  /** POST /api/messages: the activity through botbuilder's token check and teams-ai's turn. */
  const endpoint = async (req: RawRequest): Promise<RawResponse> => {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return problem(400, 'invalid_body', 'Not a Bot Framework activity: the body is not JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as Loose).type !== 'string') {
      return problem(400, 'invalid_body', 'Not a Bot Framework activity: expected an object with a type.');
    }
    // With an app id, botbuilder checks tokens: no bearer token at all is refused here, before it
    // (it prints a stack trace for one). Without an app id (local development) it checks nothing.
    if (o.appId && !/^Bearer \S+$/i.test(headerOf(req, 'authorization') ?? '')) return problem(401, 'unauthorized', UNAUTHORIZED);
    // botbuilder's `process` prints the stack of every refused token, and the token check itself
    // prints more: the activity goes to `processActivity` here, with that printing kept quiet
    // until the turn runs, and a refusal is one line in our log.
    let ran = false;
    const auth = headerOf(req, 'authorization') ?? '';
    const { result: invoke, error } = await hushLibraryConsole(() => !ran, () => (adapter as unknown as ProcessActivity)
      .processActivity(auth, asActivity(body as Loose), async (ctx) => { ran = true; await app.run(ctx); }));
    if (error === undefined) {
      const payload = invoke?.body as string | object | undefined;
      return { status: invoke?.status ?? 200, headers: {}, ...(payload === undefined || payload === null || payload === '' ? {} : { body: payload }) };
    }
    // A failure before the turn ran is the token check (botbuilder reports some as plain errors).
    if (!ran || (error as { statusCode?: number }).statusCode === 401) {
      o.logger.warn({ reason: oneLine(error) }, 'Teams request refused: its token did not check out');
      return problem(401, 'unauthorized', UNAUTHORIZED);
    }
    o.logger.error({ err: error }, 'Teams request failed');
    return problem(500, 'internal', 'The message could not be handled; it will be retried.');
  };

  return { connector, lists, addRoutes: (routes) => routes.post('/api/messages', endpoint) };
}
