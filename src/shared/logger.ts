import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One root logger, to stderr so that CLI output on stdout stays machine-readable.
 * Message text holds residents' details: log it at debug level only. Errors are logged through
 * `safeError`, which drops what a failed query carries (its SQL parameters are people's words).
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  const options = {
    level,
    base: { app: 'wardline' },
    serializers: { err: safeError, error: safeError },
    redact: { paths: ['text', '*.text', 'description', '*.description', 'location', '*.location', 'body', 'payload'], censor: '[redacted]' },
  };
  if (destination !== process.stderr && destination !== process.stdout) return pino(options, destination);
  return pino(options, pino.destination({ fd: destination === process.stderr ? 2 : 1, sync: true }));
}

/** Fields of a driver's error that name things, not data (postgres.js, PGlite). */
const NAMING_FIELDS = ['code', 'severity', 'table_name', 'column_name', 'constraint_name', 'routine', 'table', 'column', 'constraint', 'status'] as const;

/**
 * An error as it may be logged: name, code, a message without query parameters, stack frames,
 * the cause likewise. Never `detail`, `where`, `query`, `params` or `parameters` (PostgreSQL puts
 * the refused value in `where` and `detail`; drizzle puts every parameter in its message).
 */
export function safeError(e: unknown, depth = 0): unknown {
  if (typeof e === 'string') return safeMessage(e, null);
  if (!(e instanceof Error) || depth > 3) return e === null || e === undefined ? e : { type: typeof e };
  const x = e as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: x.name || x.constructor?.name || 'Error' };
  for (const k of NAMING_FIELDS) if (typeof x[k] === 'string' || typeof x[k] === 'number') out[k] = x[k];
  out.message = safeMessage(x.message, typeof x.code === 'string' ? x.code : null);
  if (x.meta && typeof x.meta === 'object' && x.name === 'AppError') out.meta = x.meta;
  if (x.stack) out.stack = x.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12).join('\n');
  if (x.cause !== undefined) out.cause = safeError(x.cause, depth + 1);
  return out;
}

/** One line about an error, safe to store or show operators (e.g. an inbound row's last error). */
export function errorSummary(e: unknown): string {
  const x = safeError(e);
  if (typeof x === 'string') return x;
  const o = (x ?? {}) as { type?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = o.code ?? o.cause?.code;
  return `${o.message ?? o.type ?? 'error'}${o.cause?.message ? `: ${o.cause.message}` : ''}${code ? ` (${code})` : ''}`;
}

function safeMessage(message: string, code: string | null): string {
  if (/^Failed query:/.test(message)) return 'a database query failed (query and parameters withheld)';
  // Data exceptions quote the value they refused: `invalid input syntax for type uuid: "…"`.
  if (code && /^22/.test(code)) return message.replace(/"[^"]*"/g, '"…"').replace(/:\s.*$/s, '');
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}
