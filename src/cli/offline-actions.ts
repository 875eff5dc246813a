import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { AppError } from '../shared/errors.js';

/** Commands that need no database: they start without loading it. */

/** `wardline parse`: JSON Lines in, what wardline understands out; the council's catalogue and streets when there is a database. */
export async function parse(): Promise<void> {
  const config = loadConfig();
  const { runParseJsonl } = await import('../intake/parse-jsonl.js');
  const { loadParseSources } = await import('./parse-sources.js');
  const { catalogue, streets } = await loadParseSources(config, (line) => process.stderr.write(`${line}\n`));
  await runParseJsonl(process.stdin, process.stdout, catalogue, streets);
}

/** `wardline teams package`: the Teams app package to upload. */
export async function teamsPackage(opts: { appId?: string; host?: string; rsc?: boolean; out: string }): Promise<void> {
  const appId = opts.appId ?? process.env.MICROSOFT_APP_ID;
  if (!appId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
    throw new AppError('input.invalid', 'Give the bot\'s Microsoft app id (a GUID) with --app-id or MICROSOFT_APP_ID.');
  }
  if (!opts.host || !/^[a-z0-9.-]+$/i.test(opts.host)) throw new AppError('input.invalid', 'Give wardline\'s public host name with --host, e.g. --host wardline.example.gov.uk.');
  const { teamsPackage: buildPackage } = await import('../bot/teams/teams-package.js');
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  writeFileSync(opts.out, buildPackage({ appId, host: opts.host, version, rsc: !!opts.rsc }));
  console.log(`Wrote ${opts.out}: upload it in Teams (Apps → Manage your apps → Upload an app)${opts.rsc ? '; it asks to read channel messages' : ''}.`);
}
