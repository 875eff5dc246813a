import { loadConfig } from '../config.js';
import { startWardline, type PROCESS_ROLES, type ProcessRole } from '../main.js';
import { createLogger } from '../shared/logger.js';
import type { PROCESS_ROLE_CHOICES } from './commands.js';

// The command's choices are written where the command is defined (without loading the runtime); they must be the runtime's roles.
type SameRoles<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const rolesMatch: SameRoles<(typeof PROCESS_ROLE_CHOICES)[number], (typeof PROCESS_ROLES)[number]> = true;
void rolesMatch;

/** `wardline start`: runs until SIGTERM or SIGINT, then stops cleanly. */
export async function start(opts: { role: ProcessRole }): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const running = await startWardline(config, logger, opts.role, { queuePrefix: config.WARDLINE_QUEUE_PREFIX });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (running.web) process.stderr.write(`wardline is running at ${running.web.url} (Ctrl+C to stop)\n`);
}
