import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors.js';

export interface DirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite takes no lock of its own: one process per data dir, enforced with a pid file
 * created exclusively. A lock left by a process that has died is taken over.
 */
export function acquireDirLock(dir: string, what: string = dir): DirLock {
  const file = join(dir, 'wardline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try { unlinkSync(file); } catch { /* already gone */ }
      };
      process.once('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new AppError('db.locked',
          `Another wardline process (pid ${pid}) is using the embedded database in ${what}. Stop it first, or give this one its own WARDLINE_DATA_DIR, or use DATABASE_URL for a shared PostgreSQL.`);
      }
      try { unlinkSync(file); } catch { /* raced with another opener */ }
    }
  }
  throw new AppError('db.locked', `Could not lock the embedded database in ${what}; another process may be starting. Try again.`);
}
