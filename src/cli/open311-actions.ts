import { basename } from 'node:path';
import { formatLondonIso } from '../cases/sla.js';
import { listAudit } from '../db/audit-repo.js';
import { createClientKey, importWardBoundaries, listClientKeys, revokeClientKey } from '../open311/open311-admin.js';
import { cliActor } from './audit-cli.js';
import { withCore } from './context.js';
import { readCsvFile } from './csv-files.js';
import { dateOption } from './option-values.js';
import { printJson } from './output.js';

/** The actions of `wardline open311 …`, `wards boundaries import` and `audit`, loaded when one runs. */

export const createKey = (opts: { name: string; rate: string; actor?: string }) => withCore(async (core) => {
  const { key, name } = await createClientKey(core.dbh.db, { name: opts.name, ratePerMinute: Number(opts.rate), actor: cliActor(opts.actor), at: core.clock.now() });
  console.log(`API key for ${name} (shown once; give it to the client and keep no copy):\n${key}`);
});

export const listKeys = (opts: { json?: boolean }) => withCore(async (core) => {
  const list = await listClientKeys(core.dbh.db);
  if (opts.json) return printJson(list);
  if (!list.length) return console.log('No Open311 keys yet: `wardline open311 keys create --name NAME`.');
  const zone = core.config.TZ_COUNCIL;
  for (const k of list) console.log(`${k.name}\t${k.ratePerMinute}/min\tcreated ${formatLondonIso(k.createdAt, zone)}\t${k.revokedAt ? `revoked ${formatLondonIso(k.revokedAt, zone)}` : 'active'}`);
});

export const revokeKey = (name: string, opts: { actor?: string }) => withCore(async (core) => {
  await revokeClientKey(core.dbh.db, { name, actor: cliActor(opts.actor), at: core.clock.now() });
  console.log(`Revoked the key of ${name}.`);
});

export const importBoundaries = (file: string, opts: { actor?: string }) => withCore(async (core) => {
  const catalogue = (await core.loadContext()).index.catalogue;
  const r = await importWardBoundaries(core.dbh.db, { text: readCsvFile(file), source: basename(file), catalogue, actor: cliActor(opts.actor), at: core.clock.now() });
  console.log(`Loaded boundaries for ${r.loaded} ward${r.loaded === 1 ? '' : 's'}.`);
  if (r.missing.length) console.log(`${r.missing.length} ward${r.missing.length === 1 ? ' has' : 's have'} no boundary (reports there go to triage): ${r.missing.slice(0, 20).join(', ')}${r.missing.length > 20 ? ', …' : ''}`);
});

export const showAudit = (opts: { since?: string; json?: boolean }) => withCore(async (core) => {
  const since = opts.since === undefined ? undefined : new Date(`${dateOption('--since', opts.since)}T00:00:00Z`);
  const entries = await listAudit(core.dbh.db, since ? { since } : {});
  if (opts.json) return printJson(entries);
  if (!entries.length) return console.log('Nothing in the audit log yet.');
  for (const e of entries) console.log(`${formatLondonIso(e.at, core.config.TZ_COUNCIL)}\t${e.actor}\t${e.action}\t${JSON.stringify(e.detail)}`);
});
