import type { Command } from 'commander';

/** Command definitions only: each action loads its code when it runs, so `--help` stays fast. */
export function registerPrivacyCommands(program: Command): void {
  const retention = program.command('retention').description('Removing case text after the retention period (UK GDPR storage limitation)');
  retention.command('run').description('Remove the free text and residents\' details of cases finished longer ago than RETENTION_MONTHS (per service: RETENTION_MONTHS_BY_SERVICE)')
    .option('--dry-run', 'only say which cases would change')
    .option('--json', 'print JSON')
    .option('--actor <who>', 'who is doing this')
    .action(async (opts) => (await import('./privacy-actions.js')).runRetentionNow(opts));

  const subject = program.command('subject').description('Subject access requests and erasure');
  const who = (c: Command) => c.option('--email <email>', 'the person\'s email').option('--phone <phone>', 'the person\'s phone number')
    .option('--name <name>', 'the person\'s full name').option('--actor <who>', 'who is doing this');
  who(subject.command('export').description('Write every case, event and message that mentions the person, as JSON and HTML, to --out DIR'))
    .requiredOption('--out <dir>', 'the folder to write subject-access.json and subject-access.html in')
    .action(async (opts) => (await import('./privacy-actions.js')).exportSubjectBundle(opts));
  who(subject.command('erase').description('Remove the person\'s details wherever they appear (asks first; --yes for scripts)'))
    .option('--yes', 'do not ask')
    .action(async (opts) => (await import('./privacy-actions.js')).eraseSubjectDetails(opts));
}
