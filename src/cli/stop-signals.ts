import { constants } from 'node:os';
import type { Logger } from '../shared/logger.js';

/** How long a stop may take before the process exits anyway (README promises 5 s). */
export const STOP_GRACE_MS = 3000;

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * SIGTERM and SIGINT for `wardline start`, listened to from the first moment (start-up included):
 * during start-up the first exits at once; once running it stops in order (HTTP, jobs and delivery,
 * the database, Redis) and exits; whatever is
 * still running after STOP_GRACE_MS (a stuck query, Redis gone) does not hold the exit. A second
 * signal exits at once. On any exit the managed redis-server is stopped and the data-dir lock freed.
 */
export function listenForStop(logger: Logger, opts: { graceMs?: number } = {}): { started(running: Stoppable): void } {
  let running: Stoppable | null = null;
  let stopping: Promise<void> | null = null;

  const stop = (r: Stoppable) => {
    stopping = r.stop()
      .catch((e: unknown) => logger.warn({ err: e }, 'stop failed'))
      .then(() => process.exit(0));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 15);
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now.\n`);
      process.exit(code);
    }
    logger.info({ signal }, 'shutting down');
    process.stderr.write(`Stopping wardline (${signal}); press Ctrl+C again to exit at once.\n`);
    if (!running) {
      // Still starting: nothing is serving or working yet, so exit now rather than finish starting
      // (a migration or a slow first connection would otherwise hold the exit). The exit hooks
      // stop the managed redis-server and free the data-dir lock.
      process.stderr.write('Stopped during start-up.\n');
      process.exit(code);
    }
    setTimeout(() => {
      logger.warn({ graceMs: opts.graceMs ?? STOP_GRACE_MS }, 'did not stop in time (a query or Redis not answering); exiting anyway');
      process.exit(code);
    }, opts.graceMs ?? STOP_GRACE_MS).unref();
    stop(running);
  };
  // bin/wardline.js listens from before any module loads; from here on these handlers answer.
  const early = (globalThis as Record<symbol, unknown>)[Symbol.for('wardline.earlyStop')] as ((s: NodeJS.Signals) => void) | undefined;
  if (early) {
    process.off('SIGTERM', early);
    process.off('SIGINT', early);
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    started(r) { running = r; },
  };
}
