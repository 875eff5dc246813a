import { userInfo } from 'node:os';
import { recordAudit } from '../db/audit-repo.js';
import type { Core } from '../main.js';

/** Who is running this command: `--actor`, else WARDLINE_ACTOR, else the operating-system user. */
export function cliActor(explicit?: string): string {
  if (explicit?.trim()) return explicit.trim();
  if (process.env.WARDLINE_ACTOR?.trim()) return process.env.WARDLINE_ACTOR.trim();
  try {
    return `os:${userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}

/** One line in an import command: records who changed what (counts and file names, never people's details). */
export async function auditCli(core: Core, action: string, detail: Record<string, unknown> = {}, actor?: string): Promise<void> {
  await recordAudit(core.dbh.db, auditEntry(action, detail, actor), core.clock.now());
}

/** The audit entry for a change a command makes, to be written in the change's own transaction. */
export const auditEntry = (action: string, detail: Record<string, unknown>, actor?: string) => ({ actor: cliActor(actor), action, detail });
