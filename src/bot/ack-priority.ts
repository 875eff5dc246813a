/** Events arriving closer together than this are one burst: handling waits for the gap. */
export const ACK_QUIET_MS = 25;
/** The longest handling waits for acks before it takes one more batch anyway. */
export const ACK_MAX_WAIT_MS = 250;

/**
 * Acks before handling, in a process that does both (the `all` role): while platform events keep
 * arriving, the inbound worker waits for a quiet moment before each batch, up to `maxWaitMs`, so a
 * burst is acknowledged within the platform's deadline and handled right after. A process that
 * only handles (the worker role) receives nothing and never waits.
 */
export function ackPriority(o: { quietMs?: number; maxWaitMs?: number; now?: () => number } = {}) {
  const quiet = o.quietMs ?? ACK_QUIET_MS;
  const maxWait = o.maxWaitMs ?? ACK_MAX_WAIT_MS;
  const now = o.now ?? (() => performance.now());
  let last = -Infinity;
  return {
    /** An event arrived to be acked. */
    arrived(): void {
      last = now();
    },
    /** Resolves once no event has arrived for a moment, or after `maxWaitMs`. */
    async giveWay(): Promise<void> {
      const started = now();
      while (now() - last < quiet && now() - started < maxWait) {
        await new Promise((r) => setTimeout(r, Math.max(1, quiet - (now() - last))));
      }
    },
  };
}
