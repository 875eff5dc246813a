import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a lock: the pid, and when that process started (so a reused pid is not taken for it). */
export interface LockOwner {
  pid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22); null where /proc is missing. */
  started: number | null;
  host: string;
}

/** The start time of a process, from /proc (Linux); null when it cannot be read. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

export function currentOwner(): LockOwner {
  return { pid: process.pid, started: processStartTicks(process.pid), host: hostname() };
}

/** True when the recorded process is still the one running (same pid, same start time). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine (a shared disk): cannot tell, assume so
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTicks(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

/** Reads a lock file: JSON, or a bare pid (older versions). Null when unreadable (a torn write). */
export function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), started: null, host: hostname() };
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(o.pid) && o.pid! > 0 ? { pid: o.pid!, started: o.started ?? null, host: o.host ?? hostname() } : null;
  } catch {
    return null;
  }
}
