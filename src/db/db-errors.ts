/**
 * What a failed query means for the caller. drizzle wraps the driver's error (postgres.js or
 * PGlite) in one that carries the SQL and its parameters; the SQLSTATE is on the cause.
 */
export function sqlState(e: unknown): string | null {
  for (let x: unknown = e, i = 0; x && typeof x === 'object' && i < 5; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
  }
  return null;
}

/**
 * The database refused this row for what it holds (data exception, program limit such as
 * nesting too deep): trying again cannot help, so the row is parked, not retried.
 */
export function isPoisonDbError(e: unknown): boolean {
  const code = sqlState(e);
  return !!code && /^(22|54)[0-9A-Z]{3}$/.test(code);
}

/**
 * Worth trying again as a whole: the connection went away, the server is restarting, or the
 * transaction lost a deadlock or a serialization check.
 */
export function isTransientDbError(e: unknown): boolean {
  const code = sqlState(e);
  if (!code) return false;
  return /^(08|40|53|57)[0-9A-Z]{3}$/.test(code) || /^(CONNECT|CONNECTION_|E[A-Z]+$)/.test(code);
}
