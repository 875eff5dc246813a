import { SocketModeReceiver, LogLevel, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { StoreOutcome } from '../../db/inbound-repo.js';
import { cleanJson } from '../../shared/clean-text.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Socket Mode the way HTTP events go: an Events API envelope is stored in the inbound queue and
 * then acknowledged, so it gets the queue's dedupe, retries and back-pressure; one that cannot be
 * stored is not acknowledged, and Slack sends it again. Interactivity, slash commands and forms,
 * which answer within the ack, are handled at once as in HTTP mode.
 */
export class SlackSocketReceiver implements Receiver {
  private readonly inner: SocketModeReceiver;

  constructor(private readonly opts: {
    appToken: string; clientOptions: Record<string, unknown>; logger: Logger;
    enqueue: (key: string, body: Record<string, unknown>) => Promise<StoreOutcome>;
  }) {
    this.inner = new SocketModeReceiver({ appToken: opts.appToken, logLevel: LogLevel.ERROR, installerOptions: { clientOptions: opts.clientOptions } });
  }

  init(app: App): void {
    const front = { processEvent: (event: ReceiverEvent) => this.route(app, event) };
    this.inner.init(front as unknown as App);
  }

  private async route(app: App, event: ReceiverEvent): Promise<void> {
    const body = event.body as Record<string, unknown>;
    if (body.type !== 'event_callback') return app.processEvent(event);
    if (typeof body.event_id !== 'string' || !body.event || typeof body.event !== 'object') {
      this.opts.logger.warn('acknowledged and dropped a Socket Mode event without event_id or event');
      return event.ack();
    }
    // A throw here leaves the envelope unacknowledged: Slack delivers it again.
    const stored = await this.opts.enqueue(`${String(body.team_id ?? '')}:${body.event_id}`, cleanJson(body));
    if (stored.kind === 'parked') this.opts.logger.warn({ event: body.event_id, reason: stored.reason }, 'parked a Slack event the database refused');
    await event.ack();
  }

  start(): Promise<unknown> {
    return this.inner.start();
  }

  stop(): Promise<unknown> {
    return this.inner.stop();
  }
}
