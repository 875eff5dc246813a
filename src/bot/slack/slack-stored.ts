import type { AsyncLocalStorage } from 'node:async_hooks';
import type { App } from '@slack/bolt';
import { errorSummary } from '../../shared/logger.js';
import type { InboundEvent, InboundReply } from '../chat-port.js';
import type { ConversationFlows } from '../flows/conversation-flows.js';

/** One stored event going through Bolt: its listener hands the neutral event over and waits for the reply. */
export interface StoredTurn {
  failed: string | null;
  collect(ev: InboundEvent): Promise<InboundReply>;
}

/**
 * Handles a batch of stored Slack bodies: each goes through Bolt's listeners as usual, which turn
 * it into a neutral event; the events gathered are handled together (one transaction), and each
 * listener then gets its own reply. Returns, per body, null when done or why it failed.
 */
export async function handleStored(app: App, store: AsyncLocalStorage<StoredTurn>, flows: ConversationFlows, bodies: unknown[]): Promise<(string | null)[]> {
  const turns = bodies.map(() => {
    let gathered!: () => void;
    let answer!: (r: InboundReply) => void;
    const ready = new Promise<void>((ok) => { gathered = ok; });
    const answered = new Promise<InboundReply>((ok) => { answer = ok; });
    const turn = {
      ev: null as InboundEvent | null, ready, gathered, answer,
      state: { failed: null as string | null, collect: (ev: InboundEvent) => { turn.ev = ev; gathered(); return answered; } },
    };
    return turn;
  });
  const runs = turns.map((t, i) => store.run(t.state, () => app.processEvent({ body: bodies[i] as Record<string, unknown>, ack: async () => undefined }))
    .catch((e: unknown) => { t.state.failed ??= errorSummary(e); })
    .finally(() => t.gathered()));
  // Every listener has either handed over its event or finished without one (edits, bots' posts).
  await Promise.all(turns.map((t) => t.ready));
  const withEvent = turns.filter((t) => t.ev);
  const replies = await flows.handleBatch(withEvent.map((t) => t.ev!)).catch((e: unknown) => withEvent.map((): InboundReply => ({ ephemeral: errorSummary(e), failed: true })));
  withEvent.forEach((t, i) => t.answer(replies[i] ?? {}));
  await Promise.all(runs);
  return turns.map((t) => t.state.failed);
}
