import { loadConfig } from '../config.js';
import { startWardline, type PROCESS_ROLES, type ProcessRole } from '../main.js';
import { createLogger } from '../shared/logger.js';
import type { PROCESS_ROLE_CHOICES } from './commands.js';
import { listenForStop } from './stop-signals.js';

// The command's choices are written where the command is defined (without loading the runtime); they must be the runtime's roles.
type SameRoles<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const rolesMatch: SameRoles<(typeof PROCESS_ROLE_CHOICES)[number], (typeof PROCESS_ROLES)[number]> = true;
void rolesMatch;

/** `wardline start`: runs until SIGTERM or SIGINT (listened to from the first moment), then stops cleanly. */
export async function start(opts: { role: ProcessRole }): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const stopper = listenForStop(logger);
  const running = await startWardline(config, logger, opts.role, { queuePrefix: config.WARDLINE_QUEUE_PREFIX });
  stopper.started(running);
  if (running.web) process.stderr.write(`wardline is running at ${running.web.url} (Ctrl+C to stop)\n`);
}
