import { CatalogueIndex } from '../catalogue/catalogue.js';
import { recordAudit } from '../db/audit-repo.js';
import type { Db, Tx } from '../db/client.js';
import { loadCatalogue, replaceClusters } from '../db/catalogue-repo.js';
import { loadPeople, replacePeople } from '../db/directory-repo.js';
import { loadRoutingTable, replaceRoutingTable } from '../db/routing-repo.js';
import { replaceStreets } from '../db/streets-repo.js';
import { buildDirectory } from '../directory/person.js';
import { parsePeopleCsv } from '../directory/people-csv.js';
import { parseStreetsCsv } from '../intake/streets-csv.js';
import { parseClustersCsv } from '../routing/clusters-csv.js';
import { clustersImportRisks, headerOnlyMessage, peopleImportRisks, refusalMessage } from '../routing/import-guards.js';
import { exportRoutesCsv, parseRoutesCsv, sameRoutes } from '../routing/routes-csv.js';
import { AppError } from '../shared/errors.js';

/**
 * The imports behind `wardline … import FILE`: check the whole file, refuse what would wipe
 * (unless `force`), then write in one transaction. Each returns the sentence to print, or throws
 * an AppError('csv.invalid') having changed nothing.
 */
export interface ImportOptions {
  file: string;
  force?: boolean;
  at?: Date;
  /** Started with the number of rows to write; told how many are written; always stopped. */
  progress?: (total: number) => Progress;
  /** The audit log's entry for the change, written in the same transaction (so never without it). */
  audit?: { actor: string; action: string; detail?: Record<string, unknown> };
}

async function audited(tx: Tx, o: ImportOptions): Promise<void> {
  if (o.audit) await recordAudit(tx, o.audit, o.at ?? new Date());
}

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Runs a write with a progress report that is stopped however the write ends. */
async function withProgress<T>(o: ImportOptions, total: number, write: (onProgress: (done: number) => void) => Promise<T>): Promise<T> {
  const bar = o.progress?.(total);
  try {
    return await write((done) => bar?.update(done));
  } finally {
    bar?.stop();
  }
}

/** Every bad line is reported, nothing is applied. */
export function failWithLines(file: string, errors: string[]): never {
  const shown = errors.slice(0, 200);
  const more = errors.length > shown.length ? `\n…and ${errors.length - shown.length} more` : '';
  throw new AppError('csv.invalid', `${file} was not imported; nothing changed. Fix these and import again:\n${shown.join('\n')}${more}`);
}

export async function importPeople(db: Db, text: string, o: ImportOptions): Promise<string> {
  const [catalogue, current, table] = await Promise.all([loadCatalogue(db), loadPeople(db), loadRoutingTable(db)]);
  const parsed = parsePeopleCsv(text, new CatalogueIndex(catalogue));
  if (!parsed.ok) failWithLines(o.file, parsed.errors);
  if (!parsed.people.length) throw new AppError('csv.invalid', headerOnlyMessage(o.file, 'people in the directory', 'wardline people export FILE'));
  const risks = peopleImportRisks(current, parsed.people, table);
  if (risks.length && !o.force) throw new AppError('csv.invalid', refusalMessage(o.file, risks));
  const c = await withProgress(o, parsed.people.length, (onProgress) => db.transaction(async (tx) => {
    const counts = await replacePeople(tx, parsed.people, { current, onProgress });
    await audited(tx, o);
    return counts;
  }));
  return `Imported ${parsed.people.length} people: ${c.created} new, ${c.updated} updated, ${c.unchanged} unchanged, ${c.deactivated} marked inactive.`;
}

export async function importClusters(db: Db, text: string, o: ImportOptions): Promise<string> {
  const [catalogue, table] = await Promise.all([loadCatalogue(db), loadRoutingTable(db)]);
  const parsed = parseClustersCsv(text, new CatalogueIndex(catalogue));
  if (!parsed.ok) failWithLines(o.file, parsed.errors);
  if (!parsed.clusters.length) throw new AppError('csv.invalid', headerOnlyMessage(o.file, 'ward clusters', 'wardline clusters export FILE'));
  const risks = clustersImportRisks(parsed.clusters.map((c) => c.id), table);
  if (risks.length && !o.force) throw new AppError('csv.invalid', refusalMessage(o.file, risks));
  await db.transaction(async (tx) => {
    await replaceClusters(tx, parsed.clusters);
    await audited(tx, o);
  });
  return `Imported ${parsed.clusters.length} clusters.`;
}

export async function importRoutes(db: Db, text: string, o: ImportOptions): Promise<string> {
  const [catalogue, people, everyone, table] = await Promise.all([
    loadCatalogue(db), loadPeople(db), loadPeople(db, { includeInactive: true }), loadRoutingTable(db),
  ]);
  // Compared before checking: an exported table imports as a no-op even if the directory or
  // clusters have since been changed under it with --force.
  if (sameRoutes(text, exportRoutesCsv(table.rules, buildDirectory(everyone)))) {
    return table.version ? `Routing table unchanged: version ${table.version}, ${table.rules.length} rules.` : 'No routing table yet, and the file has no rules: nothing changed.';
  }
  const parsed = parseRoutesCsv(text, new CatalogueIndex(catalogue), buildDirectory(people));
  if (!parsed.ok) failWithLines(o.file, parsed.errors);
  if (!parsed.rules.length) throw new AppError('csv.invalid', headerOnlyMessage(o.file, 'routing rules', 'wardline routes export FILE'));
  const version = await withProgress(o, parsed.rules.length, (onProgress) =>
    db.transaction(async (tx) => {
      const v = await replaceRoutingTable(tx, parsed.rules, { source: o.file, at: o.at ?? new Date(), onProgress });
      await audited(tx, o);
      return v;
    }));
  return `Routing table version ${version}: ${parsed.rules.length} rules.`;
}

export async function importStreets(db: Db, text: string, o: ImportOptions): Promise<string> {
  const parsed = parseStreetsCsv(text, new CatalogueIndex(await loadCatalogue(db)));
  if (!parsed.ok) failWithLines(o.file, parsed.errors);
  if (!parsed.streets.length) throw new AppError('csv.invalid', headerOnlyMessage(o.file, 'streets of the gazetteer', 'wardline streets export FILE'));
  await withProgress(o, parsed.streets.length, (onProgress) => db.transaction(async (tx) => {
    await replaceStreets(tx, parsed.streets, onProgress);
    await audited(tx, o);
  }));
  const names = new Set(parsed.streets.map((s) => s.street.toLowerCase())).size;
  return `Imported ${parsed.streets.length} rows: ${names} streets.`;
}
