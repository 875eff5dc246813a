import type { CaseRecord } from '../../cases/case-record.js';
import type { CaseContext, CaseDraft, CaseService } from '../../cases/case-service.js';
import { lockWardServices } from '../../db/case-bulk.js';
import { recentOpenCasesByPair } from '../../db/case-store.js';
import type { Tx } from '../../db/client.js';
import type { Person } from '../../directory/person.js';
import { normaliseText } from '../../intake/normalise.js';
import { parseMessage, type ParsedCase } from '../../intake/parse-message.js';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { InboundEvent } from '../chat-port.js';
import { notice } from '../messages.js';
import { parseCommand } from './commands.js';
import { explain, withAttachments, type MessageEvent, type Turn } from './flow-kit.js';
import { DUPLICATE_WINDOW_DAYS, OPEN_STATUSES, sameLocation, toDraft, type DuplicateAsker, type DuplicateBrief } from './intake-flow.js';

/** A new message read before the batch's transaction whose every problem is clear: it opens cases. */
export interface ReadReport {
  ev: MessageEvent;
  text: string;
  cases: ParsedCase[];
}

/**
 * Reads a message the way a turn would, outside any transaction, and keeps it when the turn would
 * only open cases (a new message, not a command or a thread reply, with every problem clear). Null:
 * the event takes the usual turn.
 */
export function readReport(ev: InboundEvent, person: Person | undefined, ctx: CaseContext, maxChars: number): ReadReport | null {
  if (ev.kind !== 'message' || !person?.active || ev.address.threadId || ev.text.length > maxChars) return null;
  if (ev.hints && (ev.hints.wardId || ev.hints.serviceId)) return null;
  const text = withAttachments(normaliseText(ev.text, maxChars), ev.attachments);
  const addressed = ev.isDirect || ev.mentionsBot;
  if (!text.trim() || (!addressed && !ev.listening) || (addressed && parseCommand(text))) return null;
  const result = parseMessage({ text, platform: ev.address.platform }, {
    sender: { role: person.roles[0] ?? null, wards: person.wardIds }, channelName: ev.isDirect ? null : ev.channelName, addressed,
    problem: ev.escalation === true, catalogue: ctx.index.catalogue, streets: ctx.streets, model: ctx.intakeModel,
  });
  return result.kind === 'escalation' && result.cases.length ? { ev, text, cases: result.cases } : null;
}

type Dup = { turn: number; s: Parameters<DuplicateAsker>[2]; existing: DuplicateBrief | { batch: number; index: number } };

/**
 * Opens the cases of several read reports together, as their turns one after another would: the
 * duplicate check for each ward and service is locked and read once for all, a report that repeats
 * an earlier one of the batch (or an open case) is asked about, and the rest open in one write.
 * A refused report is answered alone; when the write itself fails, each turn runs on its own.
 */
export async function openReports(o: {
  tx: Tx; cases: CaseService; ask: DuplicateAsker; now: Date; log: (ev: InboundEvent) => Logger;
  items: { turn: Turn; read: ReadReport }[];
}): Promise<'done' | 'alone'> {
  const { items } = o;
  const located = items.flatMap((it) => it.read.cases.filter((c) => c.location).map((c) => ({ wardId: c.ward, serviceId: c.service })));
  // Held to the end of the batch's transaction: checks for one ward and service take turns.
  await lockWardServices(o.tx, located);
  const since = new Date(o.now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000);
  const recent = await recentOpenCasesByPair(o.tx, located, OPEN_STATUSES, since, 50);
  const planned = new Map<string, { location: string; batch: number; index: number }[]>();
  const dups: Dup[] = [];
  const drafts: CaseDraft[][] = items.map((it, i) => {
    const fresh: CaseDraft[] = [];
    const mine: [string, { location: string; batch: number; index: number }][] = [];
    for (const pc of it.read.cases) {
      const ev = it.read.ev;
      const channelName = ev.kind === 'message' && !ev.isDirect ? ev.channelName : null;
      const s = { ward: pc.ward, service: pc.service, urgent: pc.urgent, topic: pc.topic, location: pc.location, summary: pc.summary, channelName };
      const key = `${pc.ward}/${pc.service}`;
      const inBatch = pc.location ? [...(planned.get(key) ?? [])].reverse().find((p) => sameLocation(p.location, pc.location)) : undefined;
      const stored = pc.location && !inBatch ? (recent.get(key) ?? []).find((c) => sameLocation(c.location, pc.location)) : undefined;
      if (inBatch || stored) {
        dups.push({ turn: i, s, existing: stored ?? { batch: inBatch!.batch, index: inBatch!.index } });
        continue;
      }
      if (pc.location) mine.push([key, { location: pc.location, batch: i, index: fresh.length }]);
      fresh.push(toDraft(it.turn, s, it.read.text));
    }
    for (const [k, p] of mine) planned.set(k, [...(planned.get(k) ?? []), p]);
    return fresh;
  });
  const asked = items.map((it, i) => ({ i, req: { actorId: it.turn.person.id, drafts: drafts[i]!, origin: originOf(it.turn) } })).filter((x) => x.req.drafts.length);
  let opened: (CaseRecord[] | AppError)[];
  try {
    opened = await o.cases.openMany(asked.map((x) => x.req));
  } catch (e) {
    if (e instanceof AppError) throw e;
    o.log(items[0]!.turn.ev).warn({ err: e, events: items.length }, 'cases of a batch could not be opened together; each turn alone');
    return 'alone';
  }
  const byTurn = new Map(asked.map((x, k) => [x.i, opened[k]!]));
  for (const [i, r] of byTurn) if (r instanceof AppError) items[i]!.turn.reply(notice(explain(r, o.log(items[i]!.turn.ev))));
  for (const d of dups) {
    if (byTurn.get(d.turn) instanceof AppError) continue;
    const { turn, read } = items[d.turn]!;
    const target = 'batch' in d.existing ? byTurn.get(d.existing.batch)! : [d.existing];
    // The report it repeats was refused, so there is nothing to be the same as: it opens its own.
    if (target instanceof AppError) await o.cases.openCases(turn.person.id, [toDraft(turn, d.s, read.text)], originOf(turn));
    else await o.ask(turn, read.text, d.s, target['batch' in d.existing ? d.existing.index : 0]!);
  }
  return 'done';
}

const originOf = (turn: Turn) => ({
  platform: turn.address.platform, channelId: turn.address.channelId, threadId: turn.threadRoot,
  cardKey: `confirm:${turn.address.platform}:${turn.address.channelId}:${(turn.ev as MessageEvent).messageId}`,
});
