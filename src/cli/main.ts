import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { PROCESS_ROLES, startWardline, type ProcessRole } from '../main.js';
import { createLogger } from '../shared/logger.js';
import { registerCaseCommands, registerIntakeCommands } from './commands-cases.js';
import { registerDigestCommands, registerSubscriptionCommands } from './commands-digest.js';
import { registerDirectoryCommands } from './commands-directory.js';
import { registerOutboxCommands } from './commands-outbox.js';
import { registerOpen311Commands } from './commands-open311.js';
import { registerPrivacyCommands } from './commands-privacy.js';
import { registerRoutingCommands } from './commands-routing.js';
import { registerSystemCommands } from './commands-system.js';
import { reportFailure } from './output.js';

const program = new Command('wardline')
  .description('Councillors\' escalations as tracked cases, routed to the right Relationship Manager.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.command('start').description('Run wardline: web server, chat adapters and background workers')
  .addOption(new Option('--role <role>', 'which part to run in this process').choices(PROCESS_ROLES).default('all'))
  .action(async (opts: { role: ProcessRole }) => {
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
  });

registerSystemCommands(program);
registerDirectoryCommands(program);
registerRoutingCommands(program);
registerCaseCommands(program);
registerIntakeCommands(program);
registerDigestCommands(program);
registerSubscriptionCommands(program);
registerOutboxCommands(program);
registerOpen311Commands(program);
registerPrivacyCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const code = (e as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit((e as { exitCode?: number }).exitCode ?? 1);
  process.exitCode = reportFailure(e);
}
