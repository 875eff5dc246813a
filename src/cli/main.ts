import { Command } from 'commander';
import { registerCommands } from './commands.js';
import { reportFailure } from './output.js';

const program = new Command('wardline')
  .description('Councillors\' escalations as tracked cases, routed to the right Relationship Manager.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const code = (e as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit((e as { exitCode?: number }).exitCode ?? 1);
  process.exitCode = reportFailure(e);
}
