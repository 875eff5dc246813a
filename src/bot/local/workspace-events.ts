import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export interface WorkspaceChange {
  channelId: string;
  messageId: string;
  threadId: string | null;
}

/**
 * Live updates for the built-in workspace over Redis pub/sub, so a message delivered by a worker
 * process reaches browsers connected to a web process. One subscriber connection per process.
 */
export class WorkspaceEvents {
  private readonly emitter = new EventEmitter();
  private subscriber: Redis | null = null;

  constructor(private readonly publisher: Redis, private readonly redisUrl: string, private readonly channel: string) {
    this.emitter.setMaxListeners(0);
  }

  async publish(change: WorkspaceChange): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(change)).catch(() => {
      // Redis down: browsers miss a live update and catch up on their next fetch; nothing is lost.
      this.emitter.emit('change', change);
    });
  }

  /** Calls `fn` for every change; returns the unsubscribe function. */
  async listen(fn: (change: WorkspaceChange) => void): Promise<() => void> {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (_ch, text: string) => {
        try {
          this.emitter.emit('change', JSON.parse(text) as WorkspaceChange);
        } catch { /* not ours */ }
      });
      await this.subscriber.connect();
      await this.subscriber.subscribe(this.channel);
    }
    this.emitter.on('change', fn);
    return () => this.emitter.off('change', fn);
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.emitter.removeAllListeners();
  }
}
