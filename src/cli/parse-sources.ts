import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/catalogue.js';
import { defaultPostcodeDistricts, loadDefaultCatalogue } from '../catalogue/default-catalogue.js';
import type { Config } from '../config.js';
import { loadCatalogue } from '../db/catalogue-repo.js';
import { openDatabase, type Tx } from '../db/client.js';
import { loadModelInUse } from '../db/intake-models-repo.js';
import { loadShippedModel, type IntakeModel } from '../intake/model/intake-model.js';
import { loadStreetGazetteer } from '../db/streets-repo.js';
import { buildStreetGazetteer, type StreetGazetteer } from '../intake/street-gazetteer.js';
import { isAppError } from '../shared/errors.js';

/**
 * What `wardline parse` reads messages with: the council's catalogue, streets and intake model in
 * use when it has a database (DATABASE_URL, or an embedded one already in WARDLINE_DATA_DIR), the
 * shipped defaults otherwise. Never creates or migrates a database.
 */
export async function loadParseSources(config: Config, warn: (line: string) => void): Promise<{ catalogue: Catalogue; streets: StreetGazetteer; model: IntakeModel }> {
  const shipped = () => {
    const catalogue = loadDefaultCatalogue(config.WARDLINE_WARD_SET);
    return { catalogue, streets: buildStreetGazetteer([], defaultPostcodeDistricts(catalogue.wardSet)), model: loadShippedModel() };
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
    const streets = await loadStreetGazetteer(dbh.db, catalogue.wardSet);
    return { catalogue, streets, model: await councilModel(dbh.db, warn) };
  } catch {
    warn('wardline parse: the database has no wardline tables yet ("wardline migrate" creates them); using the shipped catalogue.');
    return shipped();
  } finally {
    await dbh.close();
  }
}

/** The council's model in use; the shipped one when there is none (or the database predates stored models). */
async function councilModel(db: Tx, warn: (line: string) => void): Promise<IntakeModel> {
  const shipped = loadShippedModel();
  try {
    return await loadModelInUse(db, shipped, (msg) => warn(`wardline parse: ${msg}.`));
  } catch (e) {
    warn(`wardline parse: ${isAppError(e) ? e.message : 'no stored intake models ("wardline migrate" adds them)'}; using the shipped intake model.`);
    return shipped;
  }
}
