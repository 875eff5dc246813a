import { formatLondonIso } from '../cases/sla.js';
import { setServiceCardChannel } from '../db/catalogue-repo.js';
import { loadPeople } from '../db/directory-repo.js';
import { listRoutingVersions, loadRoutingTable } from '../db/routing-repo.js';
import { buildDirectory } from '../directory/person.js';
import { resolveContacts, routeCase } from '../routing/route-case.js';
import { exportRoutesCsv } from '../routing/routes-csv.js';
import { AppError } from '../shared/errors.js';
import { asServiceId, asWardId } from '../shared/ids.js';
import { auditCli, auditEntry } from './audit-cli.js';
import { withCore } from './context.js';
import { readCsvFile, writeOut } from './csv-files.js';
import { barFor } from './directory-actions.js';
import { importRoutes as importRoutesCsv } from './import-actions.js';
import { dateOption } from './option-values.js';
import { printJson } from './output.js';

/** `wardline routes import FILE`: a new table version, all or nothing; the same table again changes nothing. */
export const importRoutes = (file: string, opts: { actor?: string } = {}) => withCore(async (core) => {
  const audit = auditEntry('routes.imported', { file }, opts.actor);
  console.log(await importRoutesCsv(core.dbh.db, readCsvFile(file), { file, at: core.clock.now(), progress: barFor('routes'), audit }));
});

export const exportRoutes = (file?: string) => withCore(async (core) => {
  const [table, people] = await Promise.all([loadRoutingTable(core.dbh.db), loadPeople(core.dbh.db, { includeInactive: true })]);
  writeOut(file, exportRoutesCsv(table.rules, buildDirectory(people)));
});

export const history = () => withCore(async (core) => {
  const versions = await listRoutingVersions(core.dbh.db);
  if (!versions.length) console.log('No routing table yet: import one with "wardline routes import FILE".');
  for (const v of versions) console.log(`v${v.version}\t${formatLondonIso(v.createdAt, core.config.TZ_COUNCIL)}\t${v.ruleCount} rules\t${v.source}`);
});

/** `wardline routes resolve`: who a case goes to, as JSON. */
export function resolve(opts: { service: string; ward: string; on?: string }): Promise<void> {
  const onDate = opts.on === undefined ? undefined : dateOption('--on', opts.on);
  return withCore(async (core) => {
    const ctx = await core.loadContext();
    if (!ctx.index.service(opts.service)) throw new AppError('catalogue.unknown_service', `There is no service "${opts.service}". Known: ${ctx.index.catalogue.services.map((s) => s.id).join(', ')}.`);
    if (!ctx.index.ward(opts.ward)) throw new AppError('catalogue.unknown_ward', `There is no ward "${opts.ward}" in ${ctx.index.catalogue.wardSet}.`);
    const query = { serviceId: asServiceId(opts.service), wardId: asWardId(opts.ward), onDate: onDate ?? core.calendar.localDate(core.clock.now()) };
    const decision = routeCase(ctx.table, ctx.index, ctx.directory, query);
    const contacts = resolveContacts(ctx.index, ctx.directory, query);
    const person = (id: string | null | undefined) => {
      const p = id ? ctx.directory.byId.get(id) : undefined;
      return p ? { name: p.name, email: p.email } : null;
    };
    const routed = decision.kind === 'routed' ? decision : null;
    printJson({
      service: opts.service, ward: opts.ward, kind: decision.kind,
      rm: person(routed?.rmId), deputy: person(routed?.deputyId), assignee: person(decision.assigneeId),
      wac: contacts.wacIds.map(person), seniorOfficer: person(contacts.seniorOfficerId), escalationManager: person(contacts.escalationManagerId),
      rule: routed ? { id: routed.ruleId, scope: routed.scope, area: routed.area } : null,
      version: decision.version, reason: decision.reason,
    });
  });
}

/** `wardline services channel SERVICE PLATFORM [CHANNEL] [--clear]`. */
export function serviceChannel(service: string, platform: string, channel: string | undefined, opts: { clear?: boolean; actor?: string }): Promise<void> {
  if (!['slack', 'teams', 'local'].includes(platform)) throw new AppError('input.invalid', `Unknown platform "${platform}": use slack, teams or local.`);
  if (!channel && !opts.clear) throw new AppError('input.invalid', 'Give the channel id, or --clear to send cards to the RM\'s DMs again.');
  return withCore(async (core) => {
    if (!await setServiceCardChannel(core.dbh.db, service, platform, opts.clear ? null : channel!)) {
      throw new AppError('input.invalid', `Unknown service "${service}": \`wardline routes export\` lists the service ids in use.`);
    }
    await auditCli(core, 'services.card_channel_set', { service, platform, channel: opts.clear ? null : channel }, opts.actor);
    console.log(opts.clear ? `RM cards for ${service} on ${platform} go to the RM's direct messages.` : `RM cards for ${service} on ${platform} go to channel ${channel}.`);
  });
}
