import { loadConfig } from '../config.js';
import { CatalogueIndex } from '../catalogue/catalogue.js';
import { loadCatalogue } from '../db/catalogue-repo.js';
import { loadWardWeekAggregates } from '../db/digest-repo.js';
import { loadPeople } from '../db/directory-repo.js';
import { importSubscriptions as saveSubscriptions, listSubscriptions } from '../db/subscriptions-repo.js';
import { buildWardDigest, parseIsoWeek, previousWeeks } from '../digests/digest-model.js';
import { renderDigestText } from '../digests/render-text.js';
import { parseSubscriptionsCsv } from '../digests/subscriptions-csv.js';
import { buildDirectory } from '../directory/person.js';
import { writeCsv } from '../routing/csv-support.js';
import { AppError } from '../shared/errors.js';
import type { DIGEST_FORMATS } from './commands.js';
import { withCore } from './context.js';
import { failWithLines, readCsvFile, writeOut } from './csv-files.js';
import { printJson } from './output.js';

/** `wardline digest preview`: one ward's digest for one ISO week, as text, data, or as Slack or Teams would receive it. */
export function preview(opts: { ward: string; week: string; format: (typeof DIGEST_FORMATS)[number] }): Promise<void> {
  const zone = loadConfig().TZ_COUNCIL;
  const week = parseIsoWeek(opts.week, zone);
  return withCore(async (core) => {
    const ctx = await core.loadContext();
    if (!ctx.index.ward(opts.ward)) throw new AppError('catalogue.unknown_ward', `There is no ward "${opts.ward}" in ${ctx.index.catalogue.wardSet}.`);
    const [agg] = await loadWardWeekAggregates(core.dbh.db, { wardIds: [opts.ward], week, previous: previousWeeks(week, 4, zone) });
    const model = buildWardDigest(agg!, ctx.index, week);
    const text = renderDigestText(model);
    if (opts.format === 'json') return printJson(model);
    if (opts.format === 'text') return console.log(text);
    // As delivered: what does not fit one message continues in its thread.
    if (opts.format === 'slack') {
      const { renderSlackMessage } = await import('../bot/slack/slack-blocks.js');
      const m = renderSlackMessage({ type: 'notice', text });
      return printJson({ messages: [m, ...(m.continued ?? [])].map((x) => ({ text: x.text, blocks: x.blocks })) });
    }
    const { renderTeamsMessage } = await import('../bot/teams/teams-cards.js');
    const r = renderTeamsMessage({ type: 'notice', text }, { services: [], wards: [], assignees: [] });
    printJson({ activities: [r.activity, ...(r.continued ?? [])] });
  });
}

export const importSubscriptions = (file: string) => withCore(async (core) => {
  const text = readCsvFile(file);
  const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
  const parsed = parseSubscriptionsCsv(text, index, buildDirectory(await loadPeople(core.dbh.db)));
  if (!parsed.ok) failWithLines(file, parsed.errors);
  const added = await core.dbh.db.transaction((tx) => saveSubscriptions(tx, parsed.subscriptions, core.clock.now()));
  console.log(`Imported ${parsed.subscriptions.length} subscriptions: ${added} new, ${parsed.subscriptions.length - added} already there.`);
});

export const exportSubscriptions = (file?: string) => withCore(async (core) => {
  const directory = buildDirectory(await loadPeople(core.dbh.db, { includeInactive: true }));
  const rows = (await listSubscriptions(core.dbh.db)).map((s) => [directory.byId.get(s.personId)?.email ?? s.personId, s.scope, s.area]);
  writeOut(file, writeCsv(['email', 'scope', 'area'], rows));
});
