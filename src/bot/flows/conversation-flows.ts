import { enqueueOutbound } from '../../db/outbox-repo.js';
import { addGuest, findPersonByChatId } from '../../db/directory-repo.js';
import { linksForThread, openDraftsInThread } from '../../db/conversation-repo.js';
import { forgetProcessed, markProcessed } from '../../db/processed-events-repo.js';
import { hasRole } from '../../directory/person.js';
import { normaliseText } from '../../intake/normalise.js';
import { asServiceId, asWardId } from '../../shared/ids.js';
import type { InboundEvent, InboundReply } from '../chat-port.js';
import { notice } from '../messages.js';
import { createCaseActions } from './case-actions.js';
import { createCommands, parseCommand } from './commands.js';
import { explain, Turn, withAttachments, type FlowDeps, type MessageEvent } from './flow-kit.js';
import { createIntakeFlow } from './intake-flow.js';
import { createThreadFlow } from './thread-flow.js';

/** Messages over this are kept whole on the case but read only at the start. */
export const MAX_MESSAGE_CHARS = 40_000;

export interface ConversationFlows {
  /** Handles one inbound event; repeats of an event id are ignored. Never throws at a person. */
  handle(ev: InboundEvent): Promise<InboundReply>;
}

/**
 * The conversation layer: every adapter turns its payloads into neutral events and calls this.
 * What it says back goes through the outbox, so nothing is lost if a platform is slow or down.
 */
export function createConversationFlows(deps: FlowDeps & { afterTurn?: () => void }): ConversationFlows {
  const intake = createIntakeFlow(deps);
  const actions = createCaseActions(deps);
  const threads = createThreadFlow(deps);
  const commands = createCommands(deps);

  async function stranger(ev: InboundEvent): Promise<InboundReply> {
    const ctx = await deps.loadContext();
    const admins = ctx.directory.people.filter((p) => p.active && hasRole(p, 'admin'));
    const day = deps.clock.now().toISOString().slice(0, 10);
    const where = ev.kind === 'message' && !ev.isDirect ? ` in #${ev.channelName}` : ' in a direct message';
    const addressed = ev.kind === 'action' || ev.isDirect || ev.mentionsBot;
    const said = 'I do not know you yet: wardline takes cases only from people in the council\'s directory. I have told the wardline admins, who can add you.';
    const out = admins.map((a) => {
      const t = new Turn(ev, a, ctx, deps.platforms);
      t.tell(a, `stranger:${ev.address.platform}:${ev.userExternalId}:${day}:${a.id}`,
        notice(`Someone not in the directory (${ev.address.platform} user ${ev.userExternalId}) wrote to wardline${where}. Add them with \`wardline people import\` if they should use it.`));
      return t.replies;
    }).flat();
    if (addressed && ev.kind === 'message') {
      const threadId = ev.address.threadId ?? ev.messageId;
      out.push({
        platform: ev.address.platform, target: ev.address.channelId, idempotencyKey: `reply:${ev.address.platform}:${ev.eventId}:stranger`,
        payload: { op: 'post', to: { kind: 'channel', channelId: ev.address.channelId, threadId }, render: { kind: 'message', message: notice(said) } },
      });
    }
    await enqueueOutbound(deps.db, out, null, deps.clock.now());
    return ev.kind === 'action' ? { ephemeral: said } : {};
  }

  /** WARDLINE_STRANGERS=accept: someone not in the directory becomes a guest, and the admins are told. */
  async function adoptGuest(ev: MessageEvent) {
    const { platform } = ev.address;
    const id = ev.userExternalId;
    const email = /^[^@\s]+@[^@\s]+$/.test(id) ? id.toLowerCase() : `${platform}.${id.toLowerCase().replace(/[^a-z0-9._-]/g, '')}@guests.invalid`;
    const personId = await addGuest(deps.db, { platform, externalId: id, email, name: `Guest (${platform} user ${id})` });
    deps.invalidateContext?.();
    const ctx = await deps.loadContext();
    const person = ctx.directory.byId.get(personId);
    const admins = ctx.directory.people.filter((p) => p.active && hasRole(p, 'admin'));
    const out = admins.flatMap((a) => {
      const t = new Turn(ev, a, ctx, deps.platforms);
      t.tell(a, `guest:${platform}:${id}:${a.id}`, notice(`Someone not in the directory (${platform} user ${id}) wrote to wardline and was added as a guest, because WARDLINE_STRANGERS is accept. Add them properly with \`wardline people import\`.`));
      return t.replies;
    });
    await enqueueOutbound(deps.db, out, null, deps.clock.now());
    return { ctx, person };
  }

  async function onMessage(turn: Turn, ev: MessageEvent): Promise<void> {
    const raw = ev.text.length > MAX_MESSAGE_CHARS ? ev.text.slice(0, MAX_MESSAGE_CHARS) : ev.text;
    const text = withAttachments(normaliseText(raw, MAX_MESSAGE_CHARS), ev.attachments);
    if (!text.trim()) return;
    if (ev.address.threadId) {
      const links = await linksForThread(deps.db, ev.address.platform, ev.address.channelId, ev.address.threadId);
      if (links.length) return threads.reply(turn, ev, links, text);
      const [draft] = await openDraftsInThread(deps.db, ev.address.platform, ev.address.channelId, ev.address.threadId);
      if (draft) return intake.answer(turn, draft.id, { text });
    }
    const addressed = ev.isDirect || ev.mentionsBot;
    if (addressed) {
      const cmd = parseCommand(text);
      if (cmd) return commands.run(turn, cmd);
    }
    if (!addressed && !ev.listening) return;
    if (ev.address.threadId && !addressed) return;
    await intake.escalate(turn, ev, text, addressed);
    if (ev.text.length > MAX_MESSAGE_CHARS) {
      turn.reply(notice(`Your message was over ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')} characters; I kept the first ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')}. Put long documents in a link.`));
    }
  }

  async function onAction(turn: Turn, ev: Extract<InboundEvent, { kind: 'action' }>): Promise<void> {
    const [draftId, choice] = ev.value.split('|');
    switch (ev.actionId) {
      case 'clarify.service': return intake.answer(turn, draftId!, { serviceId: choice ? asServiceId(choice) : null, form: ev.input });
      case 'clarify.ward': return intake.answer(turn, draftId!, { wardId: choice ? asWardId(choice) : null });
      case 'duplicate.link': return intake.decideDuplicate(turn, draftId!, true);
      case 'duplicate.new': return intake.decideDuplicate(turn, draftId!, false);
      default: return actions.handle(turn, ev);
    }
  }

  return {
    async handle(ev) {
      const log = deps.logger.child({ platform: ev.address.platform, event: ev.eventId, kind: ev.kind });
      try {
        const fresh = await markProcessed(deps.db, ev.address.platform, ev.eventId, deps.clock.now());
        if (!fresh) {
          log.debug('repeat delivery ignored');
          return {};
        }
        const personId = await findPersonByChatId(deps.db, ev.address.platform, ev.userExternalId);
        let ctx = await deps.loadContext();
        let person = personId ? ctx.directory.byId.get(personId) : undefined;
        if (!person && deps.acceptStrangers && ev.kind === 'message') {
          ({ ctx, person } = await adoptGuest(ev));
        }
        if (!person || !person.active) return await stranger(ev);
        const turn = new Turn(ev, person, ctx, deps.platforms);
        try {
          if (ev.kind === 'message') await onMessage(turn, ev);
          else await onAction(turn, ev);
        } catch (e) {
          const said = explain(e, log);
          if (ev.kind === 'action') turn.ephemeral = said;
          else turn.reply(notice(said));
        }
        await enqueueOutbound(deps.db, turn.replies, null, deps.clock.now());
        deps.afterTurn?.();
        return turn.ephemeral ? { ephemeral: turn.ephemeral } : {};
      } catch (e) {
        // Nothing was answered: let the platform's retry (or the person's second try) run it again.
        await forgetProcessed(deps.db, ev.address.platform, ev.eventId).catch(() => undefined);
        return { ephemeral: explain(e, log), failed: true };
      }
    },
  };
}
