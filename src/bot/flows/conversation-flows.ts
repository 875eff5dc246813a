import { lockCaseNumbers } from '../../db/case-store.js';
import { enqueueOutbound } from '../../db/outbox-repo.js';
import { addGuest, findPeopleByChatIds, findPersonByChatId } from '../../db/directory-repo.js';
import { linksForThread, openDraftsInThread } from '../../db/conversation-repo.js';
import type { CaseContext } from '../../cases/case-service.js';
import type { Tx } from '../../db/client.js';
import { isTransientDbError } from '../../db/db-errors.js';
import { markProcessed, markProcessedMany } from '../../db/processed-events-repo.js';
import type { Person } from '../../directory/person.js';
import { hasRole } from '../../directory/person.js';
import { normaliseText } from '../../intake/normalise.js';
import { cleanText } from '../../shared/clean-text.js';
import { AppError } from '../../shared/errors.js';
import { asServiceId, asWardId } from '../../shared/ids.js';
import type { OutboundMessage } from '../../cases/case-record.js';
import type { InboundEvent, InboundReply } from '../chat-port.js';
import { notice } from '../messages.js';
import { createCaseActions } from './case-actions.js';
import { createCommands, parseCommand } from './commands.js';
import { explain, Turn, withAttachments, type FlowDeps, type MessageEvent } from './flow-kit.js';
import type { Logger } from '../../shared/logger.js';
import { createIntakeFlow } from './intake-flow.js';
import { openReports, readReport, type ReadReport } from './batch-intake.js';
import { createThreadFlow } from './thread-flow.js';

/** Messages over this are kept whole on the case but read only at the start. */
export const MAX_MESSAGE_CHARS = 40_000;

export interface ConversationFlows {
  /** Handles one inbound event; repeats of an event id are ignored. Never throws at a person. */
  handle(ev: InboundEvent): Promise<InboundReply>;
  /**
   * Handles events together in one transaction (each turn in its own savepoint): one processed
   * mark per event, and the replies of all, commit at once. Replies in the events' order.
   */
  handleBatch(evs: InboundEvent[]): Promise<InboundReply[]>;
}

/**
 * The conversation layer: every adapter turns its payloads into neutral events and calls this.
 * What it says back goes through the outbox, so nothing is lost if a platform is slow or down.
 */
export function createConversationFlows(deps: FlowDeps & { afterTurn?: () => void }): ConversationFlows {
  /** The flows for one turn, on its transaction and the context read before it. */
  function flowsOn(tx: Tx, ctx: CaseContext) {
    const scoped: FlowDeps = { ...deps, db: tx, cases: deps.casesOn(tx, ctx), loadContext: () => Promise.resolve(ctx) };
    return {
      cases: scoped.cases, intake: createIntakeFlow(scoped), actions: createCaseActions(scoped), threads: createThreadFlow(scoped), commands: createCommands(scoped), db: tx,
    };
  }
  type Flows = ReturnType<typeof flowsOn>;

  function stranger(ev: InboundEvent, ctx: CaseContext): { out: OutboundMessage[]; reply: InboundReply } {
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
    return { out, reply: ev.kind === 'action' ? { ephemeral: said } : {} };
  }

  /** WARDLINE_STRANGERS=accept: someone not in the directory becomes a guest; the admins' notices are returned. */
  async function adoptGuest(ev: MessageEvent): Promise<{ ctx: CaseContext; person: Person | undefined; out: OutboundMessage[] }> {
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
    return { ctx, person, out };
  }

  async function onMessage(f: Flows, turn: Turn, ev: MessageEvent): Promise<void> {
    const raw = ev.text.length > MAX_MESSAGE_CHARS ? ev.text.slice(0, MAX_MESSAGE_CHARS) : ev.text;
    const text = withAttachments(normaliseText(raw, MAX_MESSAGE_CHARS), ev.attachments);
    if (!text.trim()) return;
    if (ev.address.threadId) {
      const links = await linksForThread(f.db, ev.address.platform, ev.address.channelId, ev.address.threadId);
      if (links.length) return f.threads.reply(turn, ev, links, text);
      const [draft] = await openDraftsInThread(f.db, ev.address.platform, ev.address.channelId, ev.address.threadId);
      if (draft) return f.intake.answer(turn, draft.id, { text });
    }
    const addressed = ev.isDirect || ev.mentionsBot;
    if (addressed) {
      const cmd = parseCommand(text);
      if (cmd) return f.commands.run(turn, cmd);
    }
    if (!addressed && !ev.listening) return;
    if (ev.address.threadId && !addressed) return;
    await f.intake.escalate(turn, ev, text, addressed);
    if (ev.text.length > MAX_MESSAGE_CHARS) {
      turn.reply(notice(`Your message was over ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')} characters; I kept the first ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')}. Put long documents in a link.`));
    }
  }

  async function onAction(f: Flows, turn: Turn, ev: Extract<InboundEvent, { kind: 'action' }>): Promise<void> {
    const [draftId, choice] = ev.value.split('|');
    switch (ev.actionId) {
      case 'clarify.service': return f.intake.answer(turn, draftId!, { serviceId: choice ? asServiceId(choice) : null, form: ev.input });
      case 'clarify.ward': return f.intake.answer(turn, draftId!, { wardId: choice ? asWardId(choice) : null });
      case 'duplicate.link': return f.intake.decideDuplicate(turn, draftId!, true);
      case 'duplicate.new': return f.intake.decideDuplicate(turn, draftId!, false);
      default: return f.actions.handle(turn, ev);
    }
  }

  /**
   * The turn proper, in a savepoint of the event's transaction: a refusal (or a fault that is not
   * the database going away) undoes what the turn changed and answers instead.
   */
  async function runTurn(tx: Tx, ctx: CaseContext, turn: Turn, log: Logger): Promise<void> {
    const { ev } = turn;
    try {
      await tx.transaction(async (sp) => {
        const f = flowsOn(sp, ctx);
        if (ev.kind === 'message') await onMessage(f, turn, ev);
        else await onAction(f, turn, ev);
      });
    } catch (e) {
      if (!(e instanceof AppError) && isTransientDbError(e)) throw e;
      turn.replies.splice(0);
      turn.ephemeral = null;
      const said = explain(e, log);
      if (ev.kind === 'action') turn.ephemeral = said;
      else turn.reply(notice(said));
    }
  }

  /** The event's work inside the caller's transaction, once its processed mark is new. */
  async function turnIn(tx: Tx, ev: InboundEvent, found: Person | undefined, ctx: CaseContext, log: Logger, out: OutboundMessage[]): Promise<InboundReply> {
    if (!found || !found.active) {
      const s = stranger(ev, ctx);
      out.push(...s.out);
      return s.reply;
    }
    const turn = new Turn(ev, found, ctx, deps.platforms);
    await runTurn(tx, ctx, turn, log);
    out.push(...turn.replies);
    return turn.ephemeral ? { ephemeral: turn.ephemeral } : {};
  }

  /** Turns that only open cases, opened together; each alone should that fail. */
  async function openGroup(tx: Tx, ctx: CaseContext, items: { turn: Turn; read: ReadReport }[], now: Date, out: OutboundMessage[], got: Map<InboundEvent, InboundReply>): Promise<void> {
    const f = flowsOn(tx, ctx);
    const done = await openReports({ tx, cases: f.cases, ask: f.intake.askDuplicate, now, log: logFor, items });
    for (const { turn } of items) {
      if (done === 'alone') await runTurn(tx, ctx, turn, logFor(turn.ev));
      out.push(...turn.replies);
      got.set(turn.ev, turn.ephemeral ? { ephemeral: turn.ephemeral } : {});
    }
  }

  const logFor = (ev: InboundEvent) => deps.logger.child({ platform: ev.address.platform, event: ev.eventId, kind: ev.kind });

  const flows: ConversationFlows = {
    async handle(received) {
      const ev = cleanEvent(received);
      const log = logFor(ev);
      try {
        // Read before the transaction: inside it only the transaction's own handle may be used.
        const personId = await findPersonByChatId(deps.db, ev.address.platform, ev.userExternalId);
        let ctx = await deps.loadContext();
        let person = personId ? ctx.directory.byId.get(personId) : undefined;
        let before: OutboundMessage[] = [];
        if (!person && deps.acceptStrangers && ev.kind === 'message') ({ ctx, person, out: before } = await adoptGuest(ev));
        const found = person;
        // One transaction: the processed mark, the cases opened and every message about them.
        const reply = await deps.db.transaction(async (tx): Promise<InboundReply | null> => {
          if (!(await markProcessed(tx, ev.address.platform, ev.eventId, deps.clock.now()))) return null;
          const out = [...before];
          const r = await turnIn(tx, ev, found, ctx, log, out);
          await enqueueOutbound(tx, out, null, deps.clock.now());
          return r;
        });
        if (!reply) {
          log.debug('repeat delivery ignored');
          return {};
        }
        deps.afterTurn?.();
        return reply;
      } catch (e) {
        // Nothing was kept (not even the processed mark): the platform's retry, or the stored
        // event's next attempt, handles it afresh.
        return { ephemeral: explain(e, log), failed: true };
      }
    },

    async handleBatch(received) {
      if (received.length < 2) return Promise.all(received.map((ev) => flows.handle(ev)));
      const evs = received.map(cleanEvent);
      const who = (ev: InboundEvent) => `${ev.address.platform}:${ev.userExternalId}`;
      let batched: InboundEvent[] = [];
      try {
        const ids = await findPeopleByChatIds(deps.db, evs.map((ev) => ({ platform: ev.address.platform, externalId: ev.userExternalId })));
        const ctx = await deps.loadContext();
        // Strangers who may become guests change the directory first: they go one at a time.
        batched = evs.filter((ev) => ids.has(who(ev)) || !deps.acceptStrangers || ev.kind !== 'message');
        const personOf = (ev: InboundEvent) => { const id = ids.get(who(ev)); return id ? ctx.directory.byId.get(id) : undefined; };
        // Read before the transaction (reading is most of the work): what opens cases opens them together.
        const reads = new Map<InboundEvent, ReadReport>();
        for (const ev of batched) {
          const read = readReport(ev, personOf(ev), ctx, MAX_MESSAGE_CHARS);
          if (read) reads.set(ev, read);
          // Let the process answer what is waiting (acks in the `all` role).
          await new Promise((r) => setImmediate(r));
        }
        const now = deps.clock.now();
        const replies = await deps.db.transaction(async (tx) => {
          await lockCaseNumbers(tx);
          const fresh = await markProcessedMany(tx, batched.map((ev) => ({ source: ev.address.platform, eventKey: ev.eventId })), now);
          const out: OutboundMessage[] = [];
          const got = new Map<InboundEvent, InboundReply>();
          const group: { turn: Turn; read: ReadReport }[] = [];
          const flush = async () => {
            const items = group.splice(0);
            if (items.length) await openGroup(tx, ctx, items, now, out, got);
          };
          for (const ev of batched) {
            if (!fresh.delete(`${ev.address.platform}:${ev.eventId}`)) continue;
            const person = personOf(ev);
            const read = reads.get(ev);
            if (read && person) {
              group.push({ turn: new Turn(ev, person, ctx, deps.platforms), read });
              continue;
            }
            await flush();
            got.set(ev, await turnIn(tx, ev, person, ctx, logFor(ev), out));
            await new Promise((r) => setImmediate(r));
          }
          await flush();
          await enqueueOutbound(tx, out, null, now);
          return got;
        });
        if (replies.size) deps.afterTurn?.();
        const alone = new Map<InboundEvent, InboundReply>();
        for (const ev of evs) if (!batched.includes(ev)) alone.set(ev, await flows.handle(ev));
        return evs.map((ev) => replies.get(ev) ?? alone.get(ev) ?? {});
      } catch (e) {
        // The batch as a whole failed: each event alone, so one event's fault holds back no other.
        deps.logger.warn({ err: e, events: evs.length }, 'a batch of events failed together; handling each alone');
        const out: InboundReply[] = [];
        for (const ev of evs) out.push(await flows.handle(ev));
        return out;
      }
    },
  };
  return flows;
}

/** Every platform's event passes here: its words cleaned of what the database cannot store. */
function cleanEvent(ev: InboundEvent): InboundEvent {
  if (ev.kind === 'action') return { ...ev, value: cleanText(ev.value), input: ev.input === null ? null : cleanText(ev.input), userExternalId: cleanText(ev.userExternalId) };
  return {
    ...ev, text: cleanText(ev.text), channelName: cleanText(ev.channelName), userExternalId: cleanText(ev.userExternalId),
    attachments: ev.attachments.map((a) => ({ name: cleanText(a.name), url: cleanText(a.url) })),
  };
}
