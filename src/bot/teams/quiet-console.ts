import { AsyncLocalStorage } from 'node:async_hooks';

interface Hush {
  /** While true, what the library writes to console.error is dropped (the caller logs the refusal). */
  quiet(): boolean;
}

const scope = new AsyncLocalStorage<Hush>();
let installed = false;

/**
 * Puts the filter in front of console.error (once per process; the Teams adapter does it when it
 * is created). Until then, or outside `hushLibraryConsole`, console.error prints as it did.
 */
export function installConsoleFilter(): void {
  if (installed) return;
  installed = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (!scope.getStore()?.quiet()) print(...args);
  };
}

/**
 * Runs `fn` with botframework's console.error calls (an expired token's stack, a dump of the
 * signing keys) dropped while `quiet()` holds: the error it then throws says why, in one line. Anything
 * written outside such a run, or once `quiet()` turns false, is printed as usual.
 */
export async function hushLibraryConsole<T>(quiet: () => boolean, fn: () => Promise<T>): Promise<{ result?: T; error?: unknown }> {
  installConsoleFilter();
  const hush: Hush = { quiet };
  try {
    return { result: await scope.run(hush, fn) };
  } catch (error) {
    return { error };
  }
}
