/** What a person sees of one message on a chat platform, whichever adapter drew it. */
export interface SeenMessage {
  ref: string;
  /** null: posted by wardline. */
  author: string | null;
  text: string;
  buttons: { label: string; actionId: string; value: string; form: boolean }[];
  /** Status labels shown on a case card or confirmation ("Acknowledged"). */
  statuses: string[];
  replyCount: number;
}

export type Place = { dm: true } | { channel: string };

/**
 * How the contract suite drives one chat adapter: as the platform's people would, at the
 * adapter's boundary (HTTP API, signed webhooks), reading back what each person sees.
 */
export interface ChatHarness {
  name: string;
  /** Sends a message as a person (by directory email); returns its reference. */
  send(who: string, where: Place, text: string, opts?: { thread?: string }): Promise<{ ref: string; ephemeral?: string }>;
  /** Presses a button on a message, filling its form with `input` when it has one. */
  click(who: string, message: SeenMessage, label: string, input?: string): Promise<{ ephemeral?: string }>;
  /** Top-level messages in a place, or one thread's messages (root first). */
  seen(who: string, where: Place, opts?: { thread?: string }): Promise<SeenMessage[]>;
  /** Someone not in the directory writes to the bot directly; returns what they are told. */
  strangerWrites(text: string): Promise<SeenMessage[]>;
  /** Waits until wardline has delivered everything it has to say. */
  settle(): Promise<void>;
}
