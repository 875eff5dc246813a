import type { Db } from '../../db/client.js';
import { findPersonByChatId } from '../../db/directory-repo.js';
import { directChannelId, ensureChannel, insertMessage, updateMessage } from '../../db/workspace-repo.js';
import { DeliveryError } from '../../jobs/outbox-delivery.js';
import type { Clock } from '../../shared/clock.js';
import type { ChatAddress, ChatSender } from '../chat-port.js';
import type { NeutralMessage } from '../messages.js';
import type { WorkspaceEvents } from './workspace-events.js';

/** The plain text of a neutral message (the page shows buttons from the model beside it). */
export function plainText(m: NeutralMessage): string {
  return m.type === 'mirror' ? `${m.author}: ${m.text}` : m.text;
}

/** The built-in workspace's outbound side: messages are rows; browsers hear of them live. */
export function createWorkspaceSender(deps: { db: Db; clock: Clock; events: WorkspaceEvents }): ChatSender {
  const { db, clock, events } = deps;
  return {
    platform: 'local',
    async openDirect(userExternalId) {
      const personId = await findPersonByChatId(db, 'local', userExternalId);
      if (!personId) throw new DeliveryError('permanent', `Nobody in the workspace is ${userExternalId}.`);
      const id = directChannelId(personId);
      await ensureChannel(db, { id, name: 'wardline', kind: 'dm', personId, listening: false }, clock.now());
      return id;
    },
    async post(address: ChatAddress, message: NeutralMessage, idempotencyKey: string) {
      const messageId = await insertMessage(db, {
        channelId: address.channelId, threadId: address.threadId, authorId: null, text: plainText(message), model: message, idempotencyKey,
      }, clock.now());
      await events.publish({ channelId: address.channelId, messageId, threadId: address.threadId });
      return { messageId };
    },
    async update(address: ChatAddress, messageId: string, message: NeutralMessage) {
      const found = await updateMessage(db, messageId, { text: plainText(message), model: message }, clock.now());
      if (!found) throw new DeliveryError('permanent', `Workspace message ${messageId} is gone.`);
      await events.publish({ channelId: address.channelId, messageId, threadId: null });
    },
  };
}
