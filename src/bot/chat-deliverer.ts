import type { CaseContext } from '../cases/case-service.js';
import { caseRepoOn } from '../db/case-store.js';
import type { Db } from '../db/client.js';
import { caseIdsForCard, insertLink } from '../db/conversation-repo.js';
import type { OutboxRow } from '../db/outbox-delivery-repo.js';
import type { Person } from '../directory/person.js';
import { DeliveryError, type Deliverer, type DeliveryResult } from '../jobs/outbox-delivery.js';
import type { RateRule } from '../jobs/rate-limiter.js';
import type { Clock } from '../shared/clock.js';
import { asCaseId, asPersonId } from '../shared/ids.js';
import type { ChatAddress, ChatSender } from './chat-port.js';
import { caseView, confirmationCard, rmCard, type NeutralMessage } from './messages.js';
import { outboundPayload, type Destination, type RenderSpec } from './outbound.js';

export interface ChatDelivererDeps {
  db: Db;
  sender: ChatSender;
  zone: string;
  loadContext: () => Promise<CaseContext>;
  rateRules: (row: OutboxRow) => RateRule[];
  clock: Clock;
}

/** The person's id on a platform (the built-in workspace knows everyone by email). */
export function externalIdOf(person: Person, platform: string): string | null {
  if (platform === 'slack') return person.slackUserId;
  if (platform === 'teams') return person.teamsUserId;
  return person.email.toLowerCase();
}

/**
 * The delivery worker's side of every chat adapter: validates an outbox row, renders it from the
 * current state of its case, posts or edits it through the adapter's sender, records the thread.
 */
export function createChatDeliverer(deps: ChatDelivererDeps): Deliverer {
  const { sender, db } = deps;
  let cached: { at: number; ctx: Promise<CaseContext> } | null = null;
  const context = () => {
    if (!cached || performance.now() - cached.at > 2000) cached = { at: performance.now(), ctx: deps.loadContext() };
    return cached.ctx;
  };

  async function render(spec: RenderSpec): Promise<NeutralMessage> {
    if (spec.kind === 'message') return spec.message as unknown as NeutralMessage;
    const ctx = await context();
    const repo = caseRepoOn(db);
    if (spec.kind === 'rm_card') {
      const c = await repo.getCase(asCaseId(spec.caseId));
      if (!c) throw new DeliveryError('permanent', 'The case behind this card no longer exists.');
      const card = rmCard(caseView(c, ctx.index, ctx.directory, deps.zone));
      if (c.assigneeId === spec.personId) return card;
      const now = ctx.directory.byId.get(c.assigneeId ?? '')?.name ?? 'triage';
      return { ...card, text: `Now with ${now}. ${card.text}`, buttons: [] } as NeutralMessage;
    }
    const ids = await caseIdsForCard(db, spec.cardKey);
    const found = await Promise.all(ids.map((id) => repo.getCase(id)));
    const views = found.filter((c) => c !== null).map((c) => caseView(c, ctx.index, ctx.directory, deps.zone));
    if (!views.length) throw new DeliveryError('permanent', 'No case belongs to this confirmation.');
    return confirmationCard(views);
  }

  async function resolve(to: Destination, row: OutboxRow, sent: (key: string) => Promise<{ status: string; messageId: string | null; channelId: string | null } | null>): Promise<ChatAddress> {
    if (to.kind === 'channel') return { platform: sender.platform, channelId: to.channelId, threadId: to.threadId };
    if (to.kind === 'person') {
      const person = (await context()).directory.byId.get(to.personId);
      const externalId = person && externalIdOf(person, sender.platform);
      if (!externalId) throw new DeliveryError('permanent', `Person ${to.personId} has no ${sender.platform} identity; add it in the directory.`);
      return { platform: sender.platform, channelId: await sender.openDirect(externalId), threadId: null };
    }
    const ref = await sent(to.refKey);
    if (ref?.status === 'sent' && ref.messageId && ref.channelId) return { platform: sender.platform, channelId: ref.channelId, threadId: ref.messageId };
    if (!ref || ref.status === 'failed') throw new DeliveryError('permanent', `The message this replies to (${to.refKey}) was never posted.`);
    throw new DeliveryError('transient', `Waiting for ${to.refKey} to be posted first (outbox ${row.id}).`);
  }

  return {
    platform: sender.platform,
    rateRules: deps.rateRules,
    async deliver(row, ctx): Promise<DeliveryResult> {
      const parsed = outboundPayload.safeParse(row.payload);
      if (!parsed.success) throw new DeliveryError('permanent', `Outbox row ${row.id} is not a message wardline understands: ${parsed.error.issues[0]?.message}`);
      const p = parsed.data;
      const message = await render(p.render);
      if (p.op === 'update') {
        const ref = await ctx.sentMessage(p.refKey);
        if (!ref || ref.status === 'failed' || (ref.status === 'sent' && (!ref.messageId || !ref.channelId))) {
          throw new DeliveryError('permanent', `The message to edit (${p.refKey}) was never posted.`);
        }
        if (ref.status !== 'sent') throw new DeliveryError('transient', `Waiting for ${p.refKey} to be posted first.`);
        await sender.update({ platform: sender.platform, channelId: ref.channelId!, threadId: null }, ref.messageId!, message);
        return { platformMessageId: ref.messageId, platformChannelId: ref.channelId };
      }
      const address = await resolve(p.to, row, ctx.sentMessage);
      const { messageId } = await sender.post(address, message, row.idempotencyKey, { mayExist: ctx.mayExist, since: ctx.since });
      if (p.link) {
        for (const caseId of p.link.caseIds) {
          await insertLink(db, {
            platform: sender.platform, channelId: address.channelId, threadId: address.threadId ?? messageId, messageId,
            caseId: asCaseId(caseId), owner: p.link.owner, personId: p.link.personId ? asPersonId(p.link.personId) : null, cardKey: p.link.cardKey,
          }, deps.clock.now());
        }
      }
      return { platformMessageId: messageId, platformChannelId: address.channelId };
    },
  };
}
