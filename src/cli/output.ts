import { isAppError } from '../shared/errors.js';

/** A command failed: one clear sentence to stderr, non-zero exit; the stack only at LOG_LEVEL=debug. */
export function reportFailure(e: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  if (isAppError(e)) {
    process.stderr.write(`wardline: ${e.message}\n`);
  } else if (e instanceof Error && (e as { code?: string }).code === 'commander.help') {
    return 0;
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`wardline: unexpected error: ${msg}\n${debug ? '' : 'Run again with LOG_LEVEL=debug for details.\n'}`);
  }
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
