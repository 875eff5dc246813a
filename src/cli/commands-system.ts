import type { Command } from 'commander';
import { CatalogueIndex } from '../catalogue/catalogue.js';
import { loadConfig } from '../config.js';
import { loadCatalogue, replaceClusters } from '../db/catalogue-repo.js';
import { loadPeople, replacePeople } from '../db/directory-repo.js';
import { replaceRoutingTable, setTriageOwner } from '../db/routing-repo.js';
import { buildDirectory } from '../directory/person.js';
import type { buildDemoData } from '../routing/demo-directory.js';
import { exportRoutesCsv, parseRoutesCsv } from '../routing/routes-csv.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';

export function registerSystemCommands(program: Command): void {
  program.command('migrate').description('Apply the database migrations and load the catalogue (also done at start)')
    .action(() => withCore(async (core) => {
      console.log(`Database is up to date (${core.dbh.kind}).`);
    }));

  program.command('seed').description('Load data into the database')
    .option('--demo', 'a small believable directory and routing table for trying wardline')
    .action((opts: { demo?: boolean }) => withCore(async (core) => {
      if (!opts.demo) throw new AppError('input.invalid', 'Say what to seed: "wardline seed --demo".');
      const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
      const { buildDemoData: build } = await import('../routing/demo-directory.js');
      const demo = build(index);
      await core.dbh.db.transaction(async (tx) => {
        await replaceClusters(tx, demo.clusters);
        await replacePeople(tx, demo.people);
        const withClusters = new CatalogueIndex(await loadCatalogue(tx));
        const directory = buildDirectory(await loadPeople(tx));
        // The demo table goes through the same validation as an imported file.
        const parsed = parseRoutesCsv(exportRoutesCsv(demoRules(demo.rules, directory), directory), withClusters, directory);
        if (!parsed.ok) throw new AppError('csv.invalid', `The demo routing table is invalid:\n${parsed.errors.join('\n')}`);
        await replaceRoutingTable(tx, parsed.rules, { source: 'seed --demo', at: core.clock.now() });
        const triage = directory.byEmail.get(demo.triageOwnerEmail.toLowerCase());
        if (triage) await setTriageOwner(tx, triage.id);
      });
      console.log(`Demo data loaded: ${demo.people.length} people, ${demo.clusters.length} clusters, ${demo.rules.length} routing rules.`);
    }));

  program.command('parse').description('Read messages as JSON Lines on stdin, print what wardline understands (one JSON line each); uses the council\'s catalogue and streets when there is a database, the shipped ones otherwise')
    .action(async () => {
      const config = loadConfig();
      const { runParseJsonl } = await import('../intake/parse-jsonl.js');
      const { loadParseSources } = await import('./commands-streets.js');
      const { catalogue, streets } = await loadParseSources(config, (line) => process.stderr.write(`${line}\n`));
      await runParseJsonl(process.stdin, process.stdout, catalogue, streets);
    });

  const teams = program.command('teams').description('Microsoft Teams');
  teams.command('package').description('Build the Teams app package (manifest.json and icons) to upload in Teams')
    .option('--app-id <id>', 'the bot\'s Microsoft app id (default: MICROSOFT_APP_ID)')
    .option('--host <name>', 'wardline\'s public host name, e.g. wardline.example.gov.uk')
    .option('--rsc', 'also read every message in channels where the app is installed (ChannelMessage.Read.Group)')
    .option('--out <file>', 'where to write the zip', 'wardline-teams.zip')
    .action(async (opts: { appId?: string; host?: string; rsc?: boolean; out: string }) => {
      const appId = opts.appId ?? process.env.MICROSOFT_APP_ID;
      if (!appId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
        throw new AppError('input.invalid', 'Give the bot\'s Microsoft app id (a GUID) with --app-id or MICROSOFT_APP_ID.');
      }
      if (!opts.host || !/^[a-z0-9.-]+$/i.test(opts.host)) throw new AppError('input.invalid', 'Give wardline\'s public host name with --host, e.g. --host wardline.example.gov.uk.');
      const { teamsPackage } = await import('../bot/teams/teams-package.js');
      const { writeFileSync, readFileSync } = await import('node:fs');
      const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
      writeFileSync(opts.out, teamsPackage({ appId, host: opts.host, version, rsc: !!opts.rsc }));
      console.log(`Wrote ${opts.out}: upload it in Teams (Apps → Manage your apps → Upload an app)${opts.rsc ? '; it asks to read channel messages' : ''}.`);
    });
}

type DemoRule = ReturnType<typeof buildDemoData>['rules'][number];

function demoRules(rules: DemoRule[], directory: ReturnType<typeof buildDirectory>) {
  return rules.map((r, i) => {
    const rm = directory.byEmail.get(r.rmEmail.toLowerCase());
    const deputy = r.deputyEmail ? directory.byEmail.get(r.deputyEmail.toLowerCase()) : undefined;
    if (!rm) throw new AppError('csv.invalid', `Demo rule ${i + 1} names an unknown RM ${r.rmEmail}.`);
    return { id: String(i), serviceId: r.serviceId, scope: r.scope, area: r.area, rmId: rm.id, deputyId: deputy?.id ?? null };
  });
}
