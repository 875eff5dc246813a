import { closeSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../shared/errors.js';
import { currentOwner, ownerAlive, readOwner } from '../shared/process-owner.js';

export interface DirLock {
  release(): void;
}

/**
 * PGlite takes no lock of its own: one process per data dir, enforced with a lock file created
 * exclusively. A lock left by a process that has gone (killed, crashed, the machine restarted and
 * its pid reused) is taken over; one held by a live process is refused with what to do.
 */
export function acquireDirLock(dir: string, what: string = dir): DirLock {
  const file = join(dir, 'wardline.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(currentOwner()));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        HELD.delete(file);
        process.removeListener('exit', release);
        try { unlinkSync(file); } catch { /* already gone */ }
      };
      HELD.add(file);
      process.once('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      const heldHere = HELD.has(file);
      if (heldHere || (owner && owner.pid !== process.pid && ownerAlive(owner))) {
        throw new AppError('db.locked',
          `Another wardline process (pid ${owner?.pid ?? process.pid}${owner && owner.host !== hostname() ? ` on ${owner.host}` : ''}) is using the embedded database in ${what}. `
          + `Stop it first (Ctrl+C where it runs, or "kill ${owner?.pid ?? process.pid}"; it stops within 5 seconds), or give this one its own WARDLINE_DATA_DIR, or use DATABASE_URL for a shared PostgreSQL.`);
      }
      if (!owner && justWritten(file)) {
        // Another opener is between creating the file and writing its pid: give it a moment.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        continue;
      }
      // Left by a process that is gone (or half-written by one that died while writing it).
      try { unlinkSync(file); } catch { /* raced with another opener */ }
    }
  }
  throw new AppError('db.locked', `Could not lock the embedded database in ${what}; another process may be starting. Try again.`);
}

/** Lock files this process holds: a second opener in the same process is refused too. */
const HELD = new Set<string>();

function justWritten(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 2000;
  } catch {
    return false;
  }
}
