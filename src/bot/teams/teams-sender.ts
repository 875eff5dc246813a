import type { Db } from '../../db/client.js';
import type { OutboxRow } from '../../db/outbox-delivery-repo.js';
import { anyTeamsConversation, findPersonalChat, findTeamsConversation, saveTeamsConversation } from '../../db/teams-repo.js';
import { DeliveryError } from '../../jobs/outbox-delivery.js';
import type { RateRule } from '../../jobs/rate-limiter.js';
import type { Clock } from '../../shared/clock.js';
import type { ChatAddress, ChatSender } from '../chat-port.js';
import type { NeutralMessage } from '../messages.js';
import type { PickList } from '../pick-list.js';
import { renderTeamsMessage } from './teams-cards.js';
import { ConnectorError, type TeamsConnector } from './teams-connector.js';

/** Teams' limits: about 7 messages a second per conversation and 30 requests a second per tenant. */
export const teamsRateRules = (row: OutboxRow): RateRule[] => [
  { key: `teams:${row.target}`, perSecond: 7, burst: 7 },
  { key: 'teams:tenant', perSecond: 30, burst: 30 },
];

/** Maps a Bot Connector failure to what the outbox should do with the message. */
export function toTeamsDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (!(e instanceof ConnectorError)) return new DeliveryError('transient', `Teams: ${(e as Error).message}`);
  if (e.status === 429) return new DeliveryError('rate_limited', 'Teams rate limit', e.retryAfterMs ?? 1000);
  if ([0, 412, 500, 502, 503, 504].includes(e.status)) return new DeliveryError('transient', e.message);
  if (e.status === 413) return new DeliveryError('permanent', `Teams refused the message as too large: ${e.message}`);
  return new DeliveryError('permanent', `Teams refused the message: ${e.message}`);
}

/** A channel's reply chain is its own conversation id in the Bot Framework. */
const replyChain = (conversationId: string, rootId: string) => `${conversationId};messageid=${rootId}`;

/**
 * The Teams side of the outbox: proactive posts through the conversation references wardline
 * stored, replies (reply chains in channels, replies to the activity in chats) and in-place edits.
 * The Bot Connector cannot look a message up by our key, so a crash between a post and its record
 * can (rarely) post twice.
 */
export function createTeamsSender(o: { db: Db; clock: Clock; connector: TeamsConnector; lists: () => Promise<PickList>; serviceUrl?: string | undefined; tenantId?: string | undefined }): ChatSender {
  const where = async (conversationId: string) => {
    const ref = await findTeamsConversation(o.db, conversationId);
    if (!ref) throw new DeliveryError('permanent', `wardline has no Teams conversation ${conversationId} on record (it must have talked to the bot first).`);
    return ref;
  };
  return {
    platform: 'teams',
    async openDirect(userId) {
      const known = await findPersonalChat(o.db, userId);
      if (known) return known.conversationId;
      const any = await anyTeamsConversation(o.db);
      const serviceUrl = any?.serviceUrl ?? o.serviceUrl;
      if (!serviceUrl) throw new DeliveryError('permanent', `Teams user ${userId} cannot be reached yet: nobody has talked to wardline in Teams, so no service URL is known (set TEAMS_SERVICE_URL).`);
      try {
        const id = await o.connector.openPersonalChat(serviceUrl, userId, any?.tenantId ?? o.tenantId ?? null);
        await saveTeamsConversation(o.db, { conversationId: id, serviceUrl, tenantId: any?.tenantId ?? o.tenantId ?? null, kind: 'personal', userId }, o.clock.now());
        return id;
      } catch (e) {
        const err = toTeamsDeliveryError(e);
        if (err.kind === 'permanent') throw new DeliveryError('permanent', `Teams user ${userId} cannot be reached yet (is wardline installed for them?): ${err.message}`);
        throw err;
      }
    },
    async post(address: ChatAddress, message: NeutralMessage, _key: string) {
      const ref = await where(address.channelId);
      const r = renderTeamsMessage(message, await o.lists());
      try {
        const inChannel = ref.kind === 'channel' && address.threadId;
        const conversation = inChannel ? replyChain(ref.conversationId, address.threadId!) : ref.conversationId;
        const id = await o.connector.send(ref.serviceUrl, conversation, r.activity, inChannel ? null : address.threadId);
        if (!id) throw new DeliveryError('transient', 'Teams returned no activity id');
        for (const more of r.continued ?? []) await o.connector.send(ref.serviceUrl, conversation, more, inChannel ? null : address.threadId ?? id);
        return { messageId: id };
      } catch (e) {
        throw toTeamsDeliveryError(e);
      }
    },
    async update(address: ChatAddress, messageId: string, message: NeutralMessage) {
      const ref = await where(address.channelId);
      try {
        await o.connector.update(ref.serviceUrl, ref.conversationId, messageId, renderTeamsMessage(message, await o.lists()).activity);
      } catch (e) {
        throw toTeamsDeliveryError(e);
      }
    },
  };
}
