import { CatalogueIndex } from '../catalogue/catalogue.js';
import { recordAudit } from '../db/audit-repo.js';
import { loadCatalogue, upsertAliases } from '../db/catalogue-repo.js';
import { loadPeople } from '../db/directory-repo.js';
import { loadStreets } from '../db/streets-repo.js';
import { exportPeopleCsv } from '../directory/people-csv.js';
import { parseAliasesCsv } from '../intake/aliases-csv.js';
import { exportStreetsCsv } from '../intake/streets-csv.js';
import { exportClustersCsv } from '../routing/clusters-csv.js';
import { AppError } from '../shared/errors.js';
import { auditEntry } from './audit-cli.js';
import { withCore } from './context.js';
import { readCsvFile, writeOut } from './csv-files.js';
import { failWithLines, importClusters as importClustersCsv, importPeople as importPeopleCsv, importStreets } from './import-actions.js';
import { importProgress } from './import-progress.js';

/** A progress bar on stderr for an import, started when the number of rows to write is known. */
export const barFor = (label: string) => (total: number) => importProgress(total, label);

/** `wardline people import FILE`: the file is the directory; people not in it become inactive (guarded unless --force). */
export const importPeople = (file: string, opts: { force?: boolean; actor?: string } = {}) => withCore(async (core) => {
  const audit = auditEntry('people.imported', { file, force: !!opts.force }, opts.actor);
  console.log(await importPeopleCsv(core.dbh.db, readCsvFile(file), { file, force: opts.force, progress: barFor('people'), at: core.clock.now(), audit }));
});

export const exportPeople = (file?: string) => withCore(async (core) => writeOut(file, exportPeopleCsv(await loadPeople(core.dbh.db))));

export const importClusters = (file: string, opts: { force?: boolean; actor?: string } = {}) => withCore(async (core) => {
  const audit = auditEntry('clusters.imported', { file, force: !!opts.force }, opts.actor);
  console.log(await importClustersCsv(core.dbh.db, readCsvFile(file), { file, force: opts.force, at: core.clock.now(), audit }));
});

export const exportClusters = (file?: string) => withCore(async (core) => writeOut(file, exportClustersCsv((await loadCatalogue(core.dbh.db)).clusters)));

export const importAliases = (file: string, opts: { actor?: string } = {}) => withCore(async (core) => {
  const text = readCsvFile(file);
  const parsed = parseAliasesCsv(text, new CatalogueIndex(await loadCatalogue(core.dbh.db)));
  if (!parsed.ok) failWithLines(file, parsed.errors);
  if (!parsed.aliases.length) throw new AppError('csv.invalid', `${file} has a header but no rows; nothing was imported. Add alias,ward rows under the header.`);
  await core.dbh.db.transaction(async (tx) => {
    await upsertAliases(tx, parsed.aliases, 'import');
    await recordAudit(tx, auditEntry('aliases.imported', { file, aliases: parsed.aliases.length }, opts.actor), core.clock.now());
  });
  console.log(`Imported ${parsed.aliases.length} aliases.`);
});

/** `wardline streets import FILE`: the street gazetteer, all or nothing. */
export const importStreetsFile = (file: string, opts: { actor?: string } = {}) => withCore(async (core) => {
  const audit = auditEntry('streets.imported', { file }, opts.actor);
  console.log(await importStreets(core.dbh.db, readCsvFile(file), { file, progress: barFor('streets'), at: core.clock.now(), audit }));
});

export const exportStreets = (file?: string) => withCore(async (core) => writeOut(file, exportStreetsCsv(await loadStreets(core.dbh.db))));
