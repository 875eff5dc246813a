import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/catalogue.js';
import { defaultPostcodeDistricts, loadDefaultCatalogue } from '../catalogue/default-catalogue.js';
import type { Config } from '../config.js';
import { loadCatalogue } from '../db/catalogue-repo.js';
import { openDatabase } from '../db/client.js';
import { loadStreetGazetteer } from '../db/streets-repo.js';
import { buildStreetGazetteer, type StreetGazetteer } from '../intake/street-gazetteer.js';
import { isAppError } from '../shared/errors.js';

/**
 * What `wardline parse` reads messages with: the council's catalogue and streets when it has a
 * database (DATABASE_URL, or an embedded one already in WARDLINE_DATA_DIR), the shipped defaults
 * otherwise. Never creates or migrates a database.
 */
export async function loadParseSources(config: Config, warn: (line: string) => void): Promise<{ catalogue: Catalogue; streets: StreetGazetteer }> {
  const shipped = () => {
    const catalogue = loadDefaultCatalogue(config.WARDLINE_WARD_SET);
    return { catalogue, streets: buildStreetGazetteer([], defaultPostcodeDistricts(catalogue.wardSet)) };
  };
  if (!config.DATABASE_URL && !existsSync(join(config.WARDLINE_DATA_DIR, 'db', 'PG_VERSION'))) return shipped();
  let dbh;
  try {
    dbh = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.WARDLINE_DATA_DIR });
  } catch (e) {
    if (config.DATABASE_URL || !isAppError(e)) throw e;
    warn(`wardline parse: ${e.message}; using the shipped catalogue.`);
    return shipped();
  }
  try {
    const catalogue = await loadCatalogue(dbh.db);
    return { catalogue, streets: await loadStreetGazetteer(dbh.db, catalogue.wardSet) };
  } catch {
    warn('wardline parse: the database has no wardline tables yet ("wardline migrate" creates them); using the shipped catalogue.');
    return shipped();
  } finally {
    await dbh.close();
  }
}
