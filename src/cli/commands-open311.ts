import type { Command } from 'commander';

/** Command definitions only: each action loads its code when it runs, so `--help` stays fast. */
export function registerOpen311Commands(program: Command): void {
  const open311 = program.command('open311').description('Open311 GeoReport v2 clients (e.g. FixMyStreet)');
  const keys = open311.command('keys').description('API keys of Open311 clients (stored hashed)');
  keys.command('create').description('Create a key for a client; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'the client, e.g. FixMyStreet')
    .option('--rate <n>', 'requests a minute allowed to this key', '60')
    .option('--actor <who>', 'who is doing this (default: WARDLINE_ACTOR or the OS user)')
    .action(async (opts) => (await import('./open311-actions.js')).createKey(opts));
  keys.command('list').description('List clients and their keys\' state (never the keys)')
    .option('--json', 'print JSON')
    .action(async (opts) => (await import('./open311-actions.js')).listKeys(opts));
  keys.command('revoke <name>').description('Revoke a client\'s key at once')
    .option('--actor <who>', 'who is doing this')
    .action(async (name, opts) => (await import('./open311-actions.js')).revokeKey(name, opts));

  const wards = program.command('wards').description('The wards\' geography');
  wards.command('boundaries').description('Ward boundaries (GeoJSON)')
    .command('import <file>').description('Replace the ward boundaries from a GeoJSON FeatureCollection in WGS84 (ONS Open Geography style); features match wards by id or name; all or nothing')
    .option('--actor <who>', 'who is doing this')
    .action(async (file, opts) => (await import('./open311-actions.js')).importBoundaries(file, opts));

  program.command('audit').description('The audit log: who changed API keys, retention and boundaries, and ran exports or erasures')
    .option('--since <date>', 'from this date (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(async (opts) => (await import('./open311-actions.js')).showAudit(opts));
}
