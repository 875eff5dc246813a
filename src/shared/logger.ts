import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One root logger, to stderr so that CLI output on stdout stays machine-readable.
 * Message text holds residents' details: log it at debug level only.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({
    level,
    base: { app: 'wardline' },
    redact: { paths: ['text', '*.text', 'description', '*.description', 'location', '*.location'], censor: '[redacted]' },
  }, pino.destination({ fd: destination === process.stderr ? 2 : 1, sync: true }));
}
