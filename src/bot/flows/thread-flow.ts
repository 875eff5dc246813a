import { isMemberOnCase, isStaffOnCase } from '../../cases/authorisation.js';
import type { CaseRecord, ConversationLink } from '../../cases/case-record.js';
import { findReferences, formatReference } from '../../cases/reference.js';
import { asPersonId } from '../../shared/ids.js';
import { notice } from '../messages.js';
import type { FlowDeps, MessageEvent, Turn } from './flow-kit.js';

/**
 * A reply in a case's thread: it goes on the case (an update, or the answer the RM asked for)
 * and the notifier mirrors it into the other side's thread. The bot's own posts never come back
 * here, so a mirrored message cannot echo.
 */
export function createThreadFlow(deps: FlowDeps) {
  async function pickCase(turn: Turn, links: ConversationLink[], text: string): Promise<CaseRecord | null> {
    const found = (await Promise.all([...new Set(links.map((l) => l.caseId))].map((id) => deps.cases.get(id)))).filter((c): c is CaseRecord => !!c);
    if (found.length === 1) return found[0]!;
    const named = findReferences(text);
    const chosen = found.filter((c) => named.includes(c.seq));
    if (chosen.length === 1) return chosen[0]!;
    turn.reply(notice(`This thread has ${found.length} cases (${found.map((c) => c.reference).join(', ')}). Say which one your message is for, for example "${found[0]?.reference ?? formatReference(1)}: …".`));
    return null;
  }

  return {
    async reply(turn: Turn, ev: MessageEvent, links: ConversationLink[], text: string): Promise<void> {
      const c = await pickCase(turn, links, text);
      if (!c) return;
      const me = asPersonId(turn.person.id);
      const via = { platform: ev.address.platform, channelId: ev.address.channelId, threadId: turn.threadRoot };
      if (c.status === 'closed') {
        turn.reply(notice(`${c.reference} is closed, so this was not added to it. Write a new message to raise a new case.`));
        return;
      }
      const staff = isStaffOnCase(turn.person, c);
      if (!staff && isMemberOnCase(turn.person, c) && c.status === 'needs_info') {
        await deps.cases.provideInfo(c.id, me, text);
        return;
      }
      await deps.cases.addUpdate(c.id, me, text, { via });
    },
  };
}
