import type { Command } from 'commander';
import { Option } from 'commander';
import { loadWardWeekAggregates } from '../db/digest-repo.js';
import { buildWardDigest, parseIsoWeek, previousWeeks } from '../digests/digest-model.js';
import { renderDigestText } from '../digests/render-text.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

export const DIGEST_FORMATS = ['text', 'json'] as const;

export function registerDigestCommands(program: Command): void {
  const digest = program.command('digest').description('Weekly ward digests');
  digest.command('preview').description('Show the digest of one ward for one ISO week')
    .requiredOption('--ward <id>', 'ward id, e.g. erdington')
    .requiredOption('--week <week>', 'ISO week, e.g. 2026-W47')
    .addOption(new Option('--format <format>', 'output format').choices(DIGEST_FORMATS).default('text'))
    .action((opts: { ward: string; week: string; format: (typeof DIGEST_FORMATS)[number] }) => withCore(async (core) => {
      const ctx = await core.loadContext();
      if (!ctx.index.ward(opts.ward)) throw new AppError('catalogue.unknown_ward', `There is no ward "${opts.ward}" in ${ctx.index.catalogue.wardSet}.`);
      const zone = core.config.TZ_COUNCIL;
      const week = parseIsoWeek(opts.week, zone);
      const [agg] = await loadWardWeekAggregates(core.dbh.db, { wardIds: [opts.ward], week, previous: previousWeeks(week, 4, zone) });
      const model = buildWardDigest(agg!, ctx.index, week);
      if (opts.format === 'json') printJson(model);
      else console.log(renderDigestText(model));
    }));
}
