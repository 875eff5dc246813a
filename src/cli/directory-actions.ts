import { CatalogueIndex } from '../catalogue/catalogue.js';
import { loadCatalogue, replaceClusters, upsertAliases } from '../db/catalogue-repo.js';
import { loadPeople, replacePeople } from '../db/directory-repo.js';
import { exportPeopleCsv, parsePeopleCsv } from '../directory/people-csv.js';
import { parseAliasesCsv } from '../intake/aliases-csv.js';
import { exportClustersCsv, parseClustersCsv } from '../routing/clusters-csv.js';
import { withCore } from './context.js';
import { failWithLines, readCsvFile, writeOut } from './csv-files.js';
import { countLines, importProgress } from './import-progress.js';

/** `wardline people import FILE`: the file is the directory; people not in it become inactive. */
export const importPeople = (file: string) => withCore(async (core) => {
  const text = readCsvFile(file);
  const parsed = parsePeopleCsv(text, new CatalogueIndex(await loadCatalogue(core.dbh.db)));
  if (!parsed.ok) failWithLines(file, parsed.errors);
  const bar = importProgress(countLines(text), 'people');
  const counts = await core.dbh.db.transaction((tx) => replacePeople(tx, parsed.people));
  bar.stop();
  console.log(`Imported ${parsed.people.length} people: ${counts.created} new, ${counts.updated} updated, ${counts.deactivated} marked inactive.`);
});

export const exportPeople = (file?: string) => withCore(async (core) => writeOut(file, exportPeopleCsv(await loadPeople(core.dbh.db))));

export const importClusters = (file: string) => withCore(async (core) => {
  const text = readCsvFile(file);
  const parsed = parseClustersCsv(text, new CatalogueIndex(await loadCatalogue(core.dbh.db)));
  if (!parsed.ok) failWithLines(file, parsed.errors);
  await core.dbh.db.transaction((tx) => replaceClusters(tx, parsed.clusters));
  console.log(`Imported ${parsed.clusters.length} clusters.`);
});

export const exportClusters = (file?: string) => withCore(async (core) => writeOut(file, exportClustersCsv((await loadCatalogue(core.dbh.db)).clusters)));

export const importAliases = (file: string) => withCore(async (core) => {
  const text = readCsvFile(file);
  const parsed = parseAliasesCsv(text, new CatalogueIndex(await loadCatalogue(core.dbh.db)));
  if (!parsed.ok) failWithLines(file, parsed.errors);
  await core.dbh.db.transaction((tx) => upsertAliases(tx, parsed.aliases, 'import'));
  console.log(`Imported ${parsed.aliases.length} aliases.`);
});
