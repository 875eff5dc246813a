import type { Platform } from '../shared/enums.js';

/** Where a message is: a channel (or DM) and, for replies, the thread's root message. */
export interface ChatAddress {
  platform: Platform;
  channelId: string;
  threadId: string | null;
}

/** Inbound events, already turned from platform payloads into neutral ones by an adapter. */
export type InboundEvent =
  | {
      kind: 'message';
      /** The platform's own id for dedupe (Slack event_id, Teams activity id). */
      eventId: string;
      address: ChatAddress;
      messageId: string;
      channelName: string;
      isDirect: boolean;
      mentionsBot: boolean;
      listening: boolean;
      userExternalId: string;
      text: string;
      attachments: { name: string; url: string }[];
    }
  | {
      kind: 'action';
      eventId: string;
      address: ChatAddress;
      messageId: string;
      userExternalId: string;
      actionId: ActionId;
      value: string;
    };

export const ACTION_IDS = [
  'case.acknowledge', 'case.resolve', 'case.need_info', 'case.reassign', 'case.wrong_route', 'case.cancel', 'case.reopen',
  'clarify.service', 'clarify.ward', 'duplicate.link', 'duplicate.new',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** What the bot answers straight away (an ephemeral reply for the person acting). */
export interface InboundReply {
  ephemeral?: string;
}

/** The outbound half every adapter implements; the delivery worker calls it. */
export interface ChatSender {
  platform: Platform;
  post(address: ChatAddress, message: import('./messages.js').NeutralMessage, idempotencyKey: string): Promise<{ messageId: string; threadId: string }>;
  update(address: ChatAddress, messageId: string, message: import('./messages.js').NeutralMessage): Promise<void>;
}
