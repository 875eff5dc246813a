import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CatalogueIndex } from '../catalogue/catalogue.js';
import { loadCatalogue, replaceClusters, upsertAliases } from '../db/catalogue-repo.js';
import { loadPeople, replacePeople } from '../db/directory-repo.js';
import { exportPeopleCsv, parsePeopleCsv } from '../directory/people-csv.js';
import { exportClustersCsv, parseClustersCsv } from '../routing/clusters-csv.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';
import { countLines, importProgress } from './import-progress.js';

export function readCsvFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('csv.invalid', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
}

/** Every bad line is reported, nothing is applied, exit code 1. */
export function failWithLines(file: string, errors: string[]): never {
  const shown = errors.slice(0, 200);
  const more = errors.length > shown.length ? `\n…and ${errors.length - shown.length} more` : '';
  throw new AppError('csv.invalid', `${file} was not imported; nothing changed. Fix these and import again:\n${shown.join('\n')}${more}`);
}

export function writeOut(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

export function registerDirectoryCommands(program: Command): void {
  const people = program.command('people').description('The directory of councillors, RMs, WACs, senior officers, managers and admins');
  people.command('import <file>')
    .description('Replace the directory from a CSV (header email,name,roles,wards,slack_user_id,teams_user_id[,services,away]); people not in it become inactive')
    .action((file: string) => withCore(async (core) => {
      const text = readCsvFile(file);
      const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
      const parsed = parsePeopleCsv(text, index);
      if (!parsed.ok) failWithLines(file, parsed.errors);
      const bar = importProgress(countLines(text), 'people');
      const counts = await core.dbh.db.transaction((tx) => replacePeople(tx, parsed.people));
      bar.stop();
      console.log(`Imported ${parsed.people.length} people: ${counts.created} new, ${counts.updated} updated, ${counts.deactivated} marked inactive.`);
      await (await import('./audit-cli.js')).auditCli(core, 'people.imported', { file, ...counts });
    }));
  people.command('export [file]').description('Write the directory as CSV (to stdout without a file)')
    .action((file?: string) => withCore(async (core) => writeOut(file, exportPeopleCsv(await loadPeople(core.dbh.db)))));

  const clusters = program.command('clusters').description('Ward clusters (routing scope "cluster")');
  clusters.command('import <file>').description('Replace the ward clusters from a CSV (header cluster,name,wards)')
    .action((file: string) => withCore(async (core) => {
      const text = readCsvFile(file);
      const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
      const parsed = parseClustersCsv(text, index);
      if (!parsed.ok) failWithLines(file, parsed.errors);
      await core.dbh.db.transaction((tx) => replaceClusters(tx, parsed.clusters));
      console.log(`Imported ${parsed.clusters.length} clusters.`);
      await (await import('./audit-cli.js')).auditCli(core, 'clusters.imported', { file, clusters: parsed.clusters.length });
    }));
  clusters.command('export [file]').description('Write the ward clusters as CSV')
    .action((file?: string) => withCore(async (core) => writeOut(file, exportClustersCsv((await loadCatalogue(core.dbh.db)).clusters))));

  const aliases = program.command('aliases').description('Area names that lie in one ward (used to understand messages)');
  aliases.command('import <file>').description('Add or replace area aliases from a CSV (header alias,ward)')
    .action((file: string) => withCore(async (core) => {
      const text = readCsvFile(file);
      const index = new CatalogueIndex(await loadCatalogue(core.dbh.db));
      const { parseAliasesCsv } = await import('../intake/aliases-csv.js');
      const parsed = parseAliasesCsv(text, index);
      if (!parsed.ok) failWithLines(file, parsed.errors);
      await core.dbh.db.transaction((tx) => upsertAliases(tx, parsed.aliases, 'import'));
      console.log(`Imported ${parsed.aliases.length} aliases.`);
      await (await import('./audit-cli.js')).auditCli(core, 'aliases.imported', { file, aliases: parsed.aliases.length });
    }));
}
