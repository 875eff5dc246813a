import type { Command } from 'commander';
import { CatalogueIndex } from '../catalogue/catalogue.js';
import { formatLondonIso } from '../cases/sla.js';
import { loadCatalogue } from '../db/catalogue-repo.js';
import { loadPeople } from '../db/directory-repo.js';
import { listRoutingVersions, loadRoutingTable, replaceRoutingTable } from '../db/routing-repo.js';
import { buildDirectory } from '../directory/person.js';
import { resolveContacts, routeCase } from '../routing/route-case.js';
import { exportRoutesCsv, parseRoutesCsv } from '../routing/routes-csv.js';
import { AppError } from '../shared/errors.js';
import { asServiceId, asWardId } from '../shared/ids.js';
import { withCore } from './context.js';
import { failWithLines, readCsvFile, writeOut } from './commands-directory.js';
import { countLines, importProgress } from './import-progress.js';
import { printJson } from './output.js';

export function registerRoutingCommands(program: Command): void {
  const routes = program.command('routes').description('The routing table: service × area → Relationship Manager');
  routes.command('import <file>')
    .description('Replace the routing table from a CSV (header service,scope,area,rm,deputy); all or nothing')
    .action((file: string) => withCore(async (core) => {
      const text = readCsvFile(file);
      const [catalogue, people] = await Promise.all([loadCatalogue(core.dbh.db), loadPeople(core.dbh.db)]);
      const parsed = parseRoutesCsv(text, new CatalogueIndex(catalogue), buildDirectory(people));
      if (!parsed.ok) failWithLines(file, parsed.errors);
      const bar = importProgress(countLines(text), 'routes');
      const version = await core.dbh.db.transaction((tx) =>
        replaceRoutingTable(tx, parsed.rules, { source: file, at: core.clock.now(), onProgress: (n) => bar.update(n) }));
      bar.stop();
      console.log(`Routing table version ${version}: ${parsed.rules.length} rules.`);
      await (await import('./audit-cli.js')).auditCli(core, 'routes.imported', { file, version, rules: parsed.rules.length });
    }));
  routes.command('export [file]').description('Write the current routing table as CSV (export then import changes nothing)')
    .action((file?: string) => withCore(async (core) => {
      const [table, people] = await Promise.all([loadRoutingTable(core.dbh.db), loadPeople(core.dbh.db, { includeInactive: true })]);
      writeOut(file, exportRoutesCsv(table.rules, buildDirectory(people)));
    }));
  routes.command('history').description('List routing table versions, newest first')
    .action(() => withCore(async (core) => {
      const versions = await listRoutingVersions(core.dbh.db);
      if (!versions.length) console.log('No routing table yet: import one with "wardline routes import FILE".');
      for (const v of versions) console.log(`v${v.version}\t${formatLondonIso(v.createdAt, core.config.TZ_COUNCIL)}\t${v.ruleCount} rules\t${v.source}`);
    }));
  routes.command('resolve').description('Show who a case for a service in a ward goes to (JSON)')
    .requiredOption('--service <id>', 'service id, e.g. waste-enforcement')
    .requiredOption('--ward <id>', 'ward id, e.g. erdington')
    .option('--on <date>', 'the day to route on (YYYY-MM-DD), for absences')
    .action((opts: { service: string; ward: string; on?: string }) => withCore(async (core) => {
      const ctx = await core.loadContext();
      if (!ctx.index.service(opts.service)) throw new AppError('catalogue.unknown_service', `There is no service "${opts.service}". Known: ${ctx.index.catalogue.services.map((s) => s.id).join(', ')}.`);
      if (!ctx.index.ward(opts.ward)) throw new AppError('catalogue.unknown_ward', `There is no ward "${opts.ward}" in ${ctx.index.catalogue.wardSet}.`);
      const query = { serviceId: asServiceId(opts.service), wardId: asWardId(opts.ward), onDate: opts.on ?? core.calendar.localDate(core.clock.now()) };
      const decision = routeCase(ctx.table, ctx.index, ctx.directory, query);
      const contacts = resolveContacts(ctx.index, ctx.directory, query);
      const person = (id: string | null | undefined) => {
        const p = id ? ctx.directory.byId.get(id) : undefined;
        return p ? { name: p.name, email: p.email } : null;
      };
      printJson({
        service: opts.service, ward: opts.ward, kind: decision.kind,
        rm: decision.kind === 'routed' ? person(decision.rmId) : null,
        deputy: decision.kind === 'routed' ? person(decision.deputyId) : null,
        assignee: person(decision.assigneeId),
        wac: contacts.wacIds.map(person),
        seniorOfficer: person(contacts.seniorOfficerId),
        escalationManager: person(contacts.escalationManagerId),
        rule: decision.kind === 'routed' ? { id: decision.ruleId, scope: decision.scope, area: decision.area } : null,
        version: decision.version,
        reason: decision.reason,
      });
    }));

  const services = program.command('services').description('The service catalogue');
  services.command('channel').description('Post a service\'s RM cards in a channel instead of the RM\'s direct messages (or, with --clear, back to DMs)')
    .argument('<service>', 'service id, e.g. waste-enforcement').argument('<platform>', 'slack, teams or local').argument('[channel]', 'the channel id on that platform')
    .option('--clear', 'send the cards to the RM\'s direct messages again')
    .action((service: string, platform: string, channel: string | undefined, opts: { clear?: boolean }) => withCore(async (core) => {
      if (!['slack', 'teams', 'local'].includes(platform)) throw new AppError('input.invalid', `Unknown platform "${platform}": use slack, teams or local.`);
      if (!channel && !opts.clear) throw new AppError('input.invalid', 'Give the channel id, or --clear to send cards to the RM\'s DMs again.');
      const { setServiceCardChannel } = await import('../db/catalogue-repo.js');
      if (!await setServiceCardChannel(core.dbh.db, service, platform, opts.clear ? null : channel!)) {
        throw new AppError('input.invalid', `Unknown service "${service}": \`wardline routes export\` lists the service ids in use.`);
      }
      console.log(opts.clear ? `RM cards for ${service} on ${platform} go to the RM's direct messages.` : `RM cards for ${service} on ${platform} go to channel ${channel}.`);
    }));
}
