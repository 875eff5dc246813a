import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatLondonIso } from '../cases/sla.js';
import { listAudit } from '../db/audit-repo.js';
import { createClientKey, importWardBoundaries, listClientKeys, revokeClientKey } from '../open311/open311-admin.js';
import { AppError } from '../shared/errors.js';
import { cliActor } from './audit-cli.js';
import { readCsvFile } from './commands-directory.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

export function registerOpen311Commands(program: Command): void {
  const open311 = program.command('open311').description('Open311 GeoReport v2 clients (e.g. FixMyStreet)');
  const keys = open311.command('keys').description('API keys of Open311 clients (stored hashed)');
  keys.command('create').description('Create a key for a client; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'the client, e.g. FixMyStreet')
    .option('--rate <n>', 'requests a minute allowed to this key', '60')
    .option('--actor <who>', 'who is doing this (default: WARDLINE_ACTOR or the OS user)')
    .action((opts: { name: string; rate: string; actor?: string }) => withCore(async (core) => {
      const { key, name } = await createClientKey(core.dbh.db, { name: opts.name, ratePerMinute: Number(opts.rate), actor: cliActor(opts.actor), at: core.clock.now() });
      console.log(`API key for ${name} (shown once; give it to the client and keep no copy):\n${key}`);
    }));
  keys.command('list').description('List clients and their keys\' state (never the keys)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => withCore(async (core) => {
      const list = await listClientKeys(core.dbh.db);
      if (opts.json) return printJson(list);
      if (!list.length) return console.log('No Open311 keys yet: `wardline open311 keys create --name NAME`.');
      const zone = core.config.TZ_COUNCIL;
      for (const k of list) console.log(`${k.name}\t${k.ratePerMinute}/min\tcreated ${formatLondonIso(k.createdAt, zone)}\t${k.revokedAt ? `revoked ${formatLondonIso(k.revokedAt, zone)}` : 'active'}`);
    }));
  keys.command('revoke <name>').description('Revoke a client\'s key at once')
    .option('--actor <who>', 'who is doing this')
    .action((name: string, opts: { actor?: string }) => withCore(async (core) => {
      await revokeClientKey(core.dbh.db, { name, actor: cliActor(opts.actor), at: core.clock.now() });
      console.log(`Revoked the key of ${name}.`);
    }));

  const wards = program.command('wards').description('The wards\' geography');
  wards.command('boundaries').description('Ward boundaries (GeoJSON)')
    .command('import <file>').description('Replace the ward boundaries from a GeoJSON FeatureCollection in WGS84 (ONS Open Geography style); features match wards by id or name; all or nothing')
    .option('--actor <who>', 'who is doing this')
    .action((file: string, opts: { actor?: string }) => withCore(async (core) => {
      const catalogue = (await core.loadContext()).index.catalogue;
      const r = await importWardBoundaries(core.dbh.db, { text: readCsvFile(file), source: basename(file), catalogue, actor: cliActor(opts.actor), at: core.clock.now() });
      console.log(`Loaded boundaries for ${r.loaded} ward${r.loaded === 1 ? '' : 's'}.`);
      if (r.missing.length) console.log(`${r.missing.length} ward${r.missing.length === 1 ? ' has' : 's have'} no boundary (reports there go to triage): ${r.missing.slice(0, 20).join(', ')}${r.missing.length > 20 ? ', …' : ''}`);
    }));

  program.command('audit').description('The audit log: who changed API keys, retention and boundaries, and ran exports or erasures')
    .option('--since <date>', 'from this date (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action((opts: { since?: string; json?: boolean }) => withCore(async (core) => {
      const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined;
      if (since && (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(opts.since!))) throw new AppError('input.invalid', `--since ${opts.since} is not a date; use YYYY-MM-DD.`);
      const entries = await listAudit(core.dbh.db, since ? { since } : {});
      if (opts.json) return printJson(entries);
      if (!entries.length) return console.log('Nothing in the audit log yet.');
      for (const e of entries) console.log(`${formatLondonIso(e.at, core.config.TZ_COUNCIL)}\t${e.actor}\t${e.action}\t${JSON.stringify(e.detail)}`);
    }));
}
