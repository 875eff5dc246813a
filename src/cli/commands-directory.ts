import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CatalogueIndex } from '../catalogue/catalogue.js';
import { loadCatalogue, upsertAliases } from '../db/catalogue-repo.js';
import { loadPeople } from '../db/directory-repo.js';
import { exportPeopleCsv } from '../directory/people-csv.js';
import { exportClustersCsv } from '../routing/clusters-csv.js';
import { AppError } from '../shared/errors.js';
import { withCore } from './context.js';
import { failWithLines, importClusters, importPeople } from './import-actions.js';
import { importProgress } from './import-progress.js';

export function readCsvFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('csv.invalid', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
}

export { failWithLines } from './import-actions.js';

/** A progress bar on stderr for an import, started when the number of rows to write is known. */
export const barFor = (label: string) => (total: number) => importProgress(total, label);

export function writeOut(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

export function registerDirectoryCommands(program: Command): void {
  const people = program.command('people').description('The directory of councillors, RMs, WACs, senior officers, managers and admins');
  people.command('import <file>')
    .description('Replace the directory from a CSV (header email,name,roles,wards,slack_user_id,teams_user_id[,services,away]); people not in it become inactive')
    .option('--force', 'import even if it would mark over half the directory inactive or take away people the routing table uses')
    .action((file: string, opts: { force?: boolean }) => withCore(async (core) => {
      console.log(await importPeople(core.dbh.db, readCsvFile(file), { file, force: opts.force, progress: barFor('people') }));
    }));
  people.command('export [file]').description('Write the directory as CSV (to stdout without a file)')
    .action((file?: string) => withCore(async (core) => writeOut(file, exportPeopleCsv(await loadPeople(core.dbh.db)))));

  const clusters = program.command('clusters').description('Ward clusters (routing scope "cluster")');
  clusters.command('import <file>').description('Replace the ward clusters from a CSV (header cluster,name,wards)')
    .option('--force', 'import even if it removes clusters the routing table uses')
    .action((file: string, opts: { force?: boolean }) => withCore(async (core) => {
      console.log(await importClusters(core.dbh.db, readCsvFile(file), { file, force: opts.force }));
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
      if (!parsed.aliases.length) throw new AppError('csv.invalid', `${file} has a header but no rows; nothing was imported. Add alias,ward rows under the header.`);
      await core.dbh.db.transaction((tx) => upsertAliases(tx, parsed.aliases, 'import'));
      console.log(`Imported ${parsed.aliases.length} aliases.`);
    }));
}
