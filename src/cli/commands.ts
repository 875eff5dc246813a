import { Option, type Command } from 'commander';
import { registerOpen311Commands } from './commands-open311.js';
import { registerPrivacyCommands } from './commands-privacy.js';

/**
 * Every command's name, arguments, options and help, and nothing else: each action imports its
 * implementation (and the database, chat and queue code it needs) only when that command runs,
 * so `wardline --help` and `wardline parse` start without them.
 */
export const PROCESS_ROLE_CHOICES = ['all', 'web', 'worker'] as const;
export const DIGEST_FORMATS = ['text', 'json', 'slack', 'teams'] as const;

const system = () => import('./system-actions.js');
const offline = () => import('./offline-actions.js');
const directory = () => import('./directory-actions.js');
const routing = () => import('./routing-actions.js');
const cases = () => import('./cases-actions.js');
const digest = () => import('./digest-actions.js');
const outbox = () => import('./outbox-actions.js');
/** Changes the audit log records take who made them. */
const actor = (c: Command) => c.option('--actor <who>', 'who is doing this, for the audit log (default: WARDLINE_ACTOR or the OS user)');

export function registerCommands(program: Command): void {
  program.command('start').description('Run wardline: web server, chat adapters and background workers')
    .addOption(new Option('--role <role>', 'which part to run in this process').choices(PROCESS_ROLE_CHOICES).default('all'))
    .action(async (opts) => (await import('./start-action.js')).start(opts));
  registerSystem(program);
  registerDirectory(program);
  registerRouting(program);
  registerCases(program);
  registerDigests(program);
  registerOpen311Commands(program);
  registerPrivacyCommands(program);
  const box = program.command('outbox').description('Outbound chat messages that wardline delivers');
  box.command('failed').description('List messages that could not be delivered, newest first')
    .option('--json', 'print JSON')
    .action(async (opts) => (await outbox()).listFailed(opts));
  box.command('retry').description('Send failed messages again: one by id, or --all')
    .argument('[id]', 'the message id from "outbox failed"')
    .option('--all', 'every failed message')
    .action(async (id, opts) => (await outbox()).retry(id, opts));
}

function registerSystem(program: Command): void {
  program.command('migrate').description('Apply the database migrations and load the catalogue (also done at start)')
    .action(async () => (await system()).migrate());
  actor(program.command('seed').description('Load data into the database'))
    .option('--demo', 'a small believable directory and routing table for trying wardline')
    .action(async (opts) => (await system()).seed(opts));
  program.command('parse').description('Read messages as JSON Lines on stdin, print what wardline understands (one JSON line each); uses the council\'s catalogue and streets when there is a database, the shipped ones otherwise')
    .action(async () => (await offline()).parse());
  const teams = program.command('teams').description('Microsoft Teams');
  teams.command('package').description('Build the Teams app package (manifest.json and icons) to upload in Teams')
    .option('--app-id <id>', 'the bot\'s Microsoft app id (default: MICROSOFT_APP_ID)')
    .option('--host <name>', 'wardline\'s public host name, e.g. wardline.example.gov.uk')
    .option('--rsc', 'also read every message in channels where the app is installed (ChannelMessage.Read.Group)')
    .option('--out <file>', 'where to write the zip', 'wardline-teams.zip')
    .action(async (opts) => (await offline()).teamsPackage(opts));
}

function registerDirectory(program: Command): void {
  const people = program.command('people').description('The directory of councillors, RMs, WACs, senior officers, managers and admins');
  actor(people.command('import <file>'))
    .description('Replace the directory from a CSV (header email,name,roles,wards,slack_user_id,teams_user_id[,services,away]); people not in it become inactive')
    .option('--force', 'import even if it would mark over half the directory inactive or take away people the routing table uses')
    .action(async (file, opts) => (await directory()).importPeople(file, opts));
  people.command('export [file]').description('Write the directory as CSV (to stdout without a file)')
    .action(async (file) => (await directory()).exportPeople(file));
  const clusters = program.command('clusters').description('Ward clusters (routing scope "cluster")');
  actor(clusters.command('import <file>')).description('Replace the ward clusters from a CSV (header cluster,name,wards)')
    .option('--force', 'import even if it removes clusters the routing table uses')
    .action(async (file, opts) => (await directory()).importClusters(file, opts));
  clusters.command('export [file]').description('Write the ward clusters as CSV')
    .action(async (file) => (await directory()).exportClusters(file));
  const aliases = program.command('aliases').description('Area names that lie in one ward (used to understand messages)');
  actor(aliases.command('import <file>')).description('Add or replace area aliases from a CSV (header alias,ward)')
    .action(async (file, opts) => (await directory()).importAliases(file, opts));
  const streets = program.command('streets').description('The street gazetteer: which wards each street lies in (used to understand messages)');
  actor(streets.command('import <file>'))
    .description('Replace the street gazetteer from a CSV (header street,ward[,postcode_district]); all or nothing')
    .action(async (file, opts) => (await directory()).importStreetsFile(file, opts));
  streets.command('export [file]').description('Write the street gazetteer as CSV (to stdout without a file)')
    .action(async (file) => (await directory()).exportStreets(file));
}

function registerRouting(program: Command): void {
  const routes = program.command('routes').description('The routing table: service × area → Relationship Manager');
  actor(routes.command('import <file>'))
    .description('Replace the routing table from a CSV (header service,scope,area,rm,deputy); all or nothing; the same table again changes nothing')
    .action(async (file, opts) => (await routing()).importRoutes(file, opts));
  routes.command('export [file]').description('Write the current routing table as CSV (export then import changes nothing)')
    .action(async (file) => (await routing()).exportRoutes(file));
  routes.command('history').description('List routing table versions, newest first')
    .action(async () => (await routing()).history());
  routes.command('resolve').description('Show who a case for a service in a ward goes to (JSON)')
    .requiredOption('--service <id>', 'service id, e.g. waste-enforcement')
    .requiredOption('--ward <id>', 'ward id, e.g. erdington')
    .option('--on <date>', 'the day to route on (YYYY-MM-DD), for absences')
    .action(async (opts) => (await routing()).resolve(opts));
  const services = program.command('services').description('The service catalogue');
  actor(services.command('channel')).description('Post a service\'s RM cards in a channel instead of the RM\'s direct messages (or, with --clear, back to DMs)')
    .argument('<service>', 'service id, e.g. waste-enforcement').argument('<platform>', 'slack, teams or local').argument('[channel]', 'the channel id on that platform')
    .option('--clear', 'send the cards to the RM\'s direct messages again')
    .action(async (service, platform, channel, opts) => (await routing()).serviceChannel(service, platform, channel, opts));
  actor(services.command('retention')).description('Keep a service\'s case text this many months after a case is finished (or, with --clear, RETENTION_MONTHS again)')
    .argument('<service>', 'service id, e.g. street-cleaning').argument('[months]', 'whole months, 1 to 1200')
    .option('--clear', 'use RETENTION_MONTHS (and RETENTION_MONTHS_BY_SERVICE) for this service again')
    .action(async (service, months, opts) => (await import('./privacy-actions.js')).setServiceRetentionMonths(service, months, opts));
}

function registerCases(program: Command): void {
  const list = program.command('cases').description('Cases');
  list.command('list').description('List the newest cases')
    .option('--json', 'print JSON')
    .option('--ward <id>', 'only this ward')
    .option('--service <id>', 'only this service')
    .option('--limit <n>', 'how many', '50')
    .action(async (opts) => (await cases()).listCases(opts));
  program.command('case').description('Show one case with its timeline (`case WL-000123` or `case show WL-000123`)')
    .argument('<reference>', 'e.g. WL-000123').argument('[then]', 'the reference, after `show`')
    .option('--json', 'print JSON')
    .action(async (first, then, opts) => (await cases()).showCase(first, then, opts));
  const sla = program.command('sla').description('Service level agreements in working time');
  sla.command('due').description('When a case opened at a time must be acknowledged and answered (JSON, council time)')
    .requiredOption('--service <id>', 'service id')
    .option('--urgent', 'the urgent policy')
    .option('--at <iso>', 'when the case is opened, ISO 8601 (2026-12-24T16:00:00Z; without Z or an offset, council time); default now')
    .action(async (opts) => (await cases()).slaDue(opts));
  const intake = program.command('intake').description('How well wardline understands messages');
  intake.command('corrections').description('List cases whose ward or service people corrected, with suggested alias and vocabulary additions')
    .option('--json', 'print JSON')
    .option('--since <date>', 'only corrections from this date (YYYY-MM-DD, council time)')
    .option('--limit <n>', 'how many corrections', '200')
    .action(async (opts) => (await import('./corrections-action.js')).listCorrections(opts));
  const models = () => import('./intake-model-actions.js');
  intake.command('retrain').description('Train a candidate model on the shipped examples and this council\'s corrections and answers; put it in use only if cross-validation finds it no worse than the model in use')
    .option('--folds <n>', 'cross-validation folds', '5')
    .option('--json', 'print JSON')
    .option('--actor <who>', 'who is doing this')
    .action(async (opts) => (await models()).retrain(opts));
  intake.command('models').description('List the retrained intake models: which is in use, since when, and their cross-validated figures')
    .option('--json', 'print JSON')
    .action(async (opts) => (await models()).listModels(opts));
  intake.command('rollback').description('Put another stored intake model in use (or `shipped`, the model wardline ships)')
    .argument('<version>', 'a version from `wardline intake models`, or shipped')
    .option('--actor <who>', 'who is doing this')
    .action(async (version, opts) => (await models()).rollback(version, opts));
}

function registerDigests(program: Command): void {
  program.command('digest').description('Weekly ward digests')
    .command('preview').description('Show the digest of one ward for one ISO week')
    .requiredOption('--ward <id>', 'ward id, e.g. erdington')
    .requiredOption('--week <week>', 'ISO week, e.g. 2026-W47')
    .addOption(new Option('--format <format>', 'output format').choices(DIGEST_FORMATS).default('text'))
    .action(async (opts) => (await digest()).preview(opts));
  const subs = program.command('subscriptions').description('Who gets which weekly digest');
  subs.command('import <file>')
    .description('Add digest subscriptions from a CSV (header email,scope,area; scope ward|cluster|district|service|city); existing ones stay')
    .action(async (file) => (await digest()).importSubscriptions(file));
  subs.command('export [file]').description('Write every subscription as CSV (email,scope,area)')
    .action(async (file) => (await digest()).exportSubscriptions(file));
}
