import type { OutboundMessage } from '../../cases/case-record.js';
import type { CaseContext, CaseService } from '../../cases/case-service.js';
import type { Tx } from '../../db/client.js';
import type { Person } from '../../directory/person.js';
import type { Clock } from '../../shared/clock.js';
import type { Platform } from '../../shared/enums.js';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { ChatAddress, InboundEvent } from '../chat-port.js';
import type { NeutralMessage } from '../messages.js';
import { outbound, personTarget } from '../outbound.js';
import { platformFor } from '../case-notifier.js';

export interface FlowDeps {
  /** Inside a turn: the turn's transaction (never the database handle itself). */
  db: Tx;
  clock: Clock;
  cases: CaseService;
  /** The case services on a transaction, with the context read before it began. */
  casesOn: (tx: Tx, ctx: CaseContext) => CaseService;
  loadContext: () => Promise<CaseContext>;
  logger: Logger;
  /** The council's time zone, for dates people read. */
  zone: string;
  /** Platforms wardline posts on, in order of preference. */
  platforms: Platform[];
  /** Take cases from people who are not in the directory (off by default). */
  acceptStrangers?: boolean;
  /** Called after the directory changed here (a stranger was added as a guest). */
  invalidateContext?: () => void;
}

export type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;
export type ActionEvent = Extract<InboundEvent, { kind: 'action' }>;

/** One inbound event being handled: who, what we know, and the replies gathered so far. */
export class Turn {
  readonly replies: OutboundMessage[] = [];
  ephemeral: string | null = null;

  constructor(readonly ev: InboundEvent, readonly person: Person, readonly ctx: CaseContext, readonly platforms: Platform[]) {}

  get address(): ChatAddress {
    return this.ev.address;
  }

  /** The thread a conversation continues in: the message's thread, or the message itself. */
  get threadRoot(): string {
    return this.ev.address.threadId ?? this.ev.messageId;
  }

  /** Replies where the person wrote; in the message's thread unless `flat`. */
  reply(message: NeutralMessage, opts: { flat?: boolean; key?: string } = {}): void {
    const a = this.ev.address;
    const threadId = opts.flat ? a.threadId : this.threadRoot;
    this.replies.push(outbound(a.platform, a.channelId, opts.key ?? `reply:${a.platform}:${this.ev.eventId}:${this.replies.length}`, {
      op: 'post', to: { kind: 'channel', channelId: a.channelId, threadId }, render: { kind: 'message', message },
    }));
  }

  /** Edits a message wardline posted earlier (a prompt), by its idempotency key. */
  edit(refKey: string, message: NeutralMessage): void {
    const a = this.ev.address;
    this.replies.push(outbound(a.platform, a.channelId, `edit:${a.platform}:${this.ev.eventId}:${this.replies.length}`, {
      op: 'update', refKey, render: { kind: 'message', message },
    }));
  }

  /** A direct message to someone else (admins about strangers). */
  tell(person: Person, key: string, message: NeutralMessage): void {
    const platform = platformFor(person, this.ev.address.platform, this.platforms);
    if (!platform) return;
    this.replies.push(outbound(platform, personTarget(person.id), key, {
      op: 'post', to: { kind: 'person', personId: person.id }, render: { kind: 'message', message },
    }));
  }
}

/** The words a person sees for a refused action: coded errors say what happened; others do not leak. */
export function explain(e: unknown, logger: Logger): string {
  if (e instanceof AppError) return e.message;
  logger.error({ err: e }, 'chat event failed');
  return 'Something went wrong on our side and nothing was changed; it has been logged. Please try again in a minute.';
}

/** Text with attachments carried as links. */
export function withAttachments(text: string, attachments: { name: string; url: string }[]): string {
  if (!attachments.length) return text;
  return `${text}\n${attachments.map((a) => `${a.name}: ${a.url}`).join('\n')}`.trim();
}
