import type { NeutralMessage } from './messages.js';
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
      /** A ward or service the person picked in a form, which wins over what the text says. */
      hints?: { wardId?: string | null; serviceId?: string | null };
      /** The person asked for a case (/escalate, the Escalate shortcut or message action): never taken for chatter. */
      escalation?: true;
    }
  | {
      kind: 'action';
      eventId: string;
      address: ChatAddress;
      messageId: string;
      userExternalId: string;
      actionId: ActionId;
      value: string;
      /** What the person typed or picked in the button's form. */
      input: string | null;
    };

export const ACTION_IDS = [
  'case.acknowledge', 'case.update', 'case.resolve', 'case.need_info', 'case.reassign', 'case.wrong_route',
  'case.edit', 'case.cancel', 'case.reopen',
  'clarify.service', 'clarify.ward', 'duplicate.link', 'duplicate.new',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** What the bot answers straight away (an ephemeral reply for the person acting). */
export interface InboundReply {
  ephemeral?: string;
  /** Nothing was done (the database was unreachable): a stored event should be tried again. */
  failed?: true;
}

export interface PostOptions {
  /** An earlier try may have posted it already: look for it first. */
  mayExist?: boolean;
  /** When the first try began: nothing of it can be older, so the look back stops there. */
  since?: Date | null;
}

/**
 * The outbound half every adapter implements; the delivery worker calls it. `post` must not post
 * twice for one idempotency key (a retry after a crash looks the key up first).
 */
export interface ChatSender {
  platform: Platform;
  /** The direct-message channel with a person, by their id on this platform. */
  openDirect(userExternalId: string): Promise<string>;
  post(address: ChatAddress, message: NeutralMessage, idempotencyKey: string, opts?: PostOptions): Promise<{ messageId: string }>;
  update(address: ChatAddress, messageId: string, message: NeutralMessage): Promise<void>;
}
