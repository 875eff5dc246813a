import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../shared/errors.js';
import type { Db } from './client.js';

/** A transaction on one guarded handle, open until its callback settles. */
interface OpenTx {
  db: object;
  open: boolean;
}

const openTransactions = new AsyncLocalStorage<readonly OpenTx[]>();
/** Guarded handle -> the handle underneath. */
const targets = new WeakMap<object, object>();

function insideTransactionOn(db: object): boolean {
  return openTransactions.getStore()?.some((t) => t.db === db && t.open) ?? false;
}

function refuse(what: string): never {
  throw new AppError('db.nested_use',
    `The database handle was used (${what}) inside a transaction on it. Use the transaction (tx) for every query in its callback, `
    + 'and read what it needs (the context, the directory) before it starts: PGlite has one connection, so this would wait forever.');
}

/**
 * The database handle, refusing re-entry: inside `db.transaction(fn)`, everything `fn` starts must
 * use the transaction it was given, never the handle itself (a query, a nested `db.transaction`,
 * or a repository built on `db`). On PGlite such a query waits for the transaction that waits for
 * it; on PostgreSQL it takes a second connection and can wait on the first one's row locks.
 */
export function guardHandle(db: Db): Db {
  const guarded = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'then' && insideTransactionOn(target)) refuse(`db.${String(prop)}`);
      if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
      return (fn: (tx: unknown) => Promise<unknown>, config?: unknown) => {
        const marker: OpenTx = { db: target, open: true };
        const parent = openTransactions.getStore() ?? [];
        const run = (tx: unknown) => openTransactions.run([...parent, marker], async () => {
          try {
            return await fn(tx);
          } finally {
            // Timers or promises started inside and still running later are not inside any more.
            marker.open = false;
          }
        });
        return (target.transaction as (f: typeof run, c?: unknown) => Promise<unknown>)(run, config);
      };
    },
  });
  targets.set(guarded, db);
  return guarded;
}

/**
 * Throws when called inside a transaction on this (guarded) handle: for readers that may answer
 * from a cache without touching the handle, such as the case context, so misuse is caught every
 * time and not only when the cache happens to be stale.
 */
export function assertOutsideTransaction(db: Db, what: string): void {
  if (insideTransactionOn(targets.get(db) ?? db)) refuse(what);
}
