import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';

/** The first line of a Redis error, with its code: what an operator needs, never a stack. */
const reasonOf = (e: unknown) => {
  const err = e as { message?: string; code?: string };
  return { reason: String(err?.message ?? e).split('\n')[0]!.slice(0, 200), ...(err?.code ? { code: err.code } : {}) };
};

export interface RedisStateLog {
  /** A Redis error from a connection or a BullMQ queue or worker: logged only when Redis was up until now. */
  failed(e: unknown): void;
  /** A connection became ready: logged only when Redis was down until now. */
  recovered(): void;
  /** Every error of this connection counts, and its readiness: it never prints its own stack (ioredis does without a listener). */
  watch(connection: Redis): Redis;
}

/**
 * Redis going away and coming back, as one line per change of state for a part of the process
 * (e.g. `jobs`, `retention`), instead of a line (or an ioredis stack trace) per reconnect attempt.
 */
export function redisStateLog(logger: Logger, part: string): RedisStateLog {
  let down = false;
  const log: RedisStateLog = {
    failed(e) {
      if (down) return;
      down = true;
      logger.warn({ part, ...reasonOf(e) }, 'Redis unreachable; retrying');
    },
    recovered() {
      if (!down) return;
      down = false;
      logger.info({ part }, 'Redis reachable again');
    },
    watch(connection) {
      connection.on('error', (e) => log.failed(e));
      connection.on('ready', () => log.recovered());
      return connection;
    },
  };
  return log;
}
