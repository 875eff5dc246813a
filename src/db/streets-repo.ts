import { eq, sql } from 'drizzle-orm';
import { defaultPostcodeDistricts } from '../catalogue/default-catalogue.js';
import { buildStreetGazetteer, type StreetGazetteer, type StreetRow } from '../intake/street-gazetteer.js';
import type { Tx } from './client.js';
import { settings, streets } from './tables.js';

const VERSION_KEY = 'streets_version';
const BATCH = 5000;

/** The gazetteer file replaces the streets; each import bumps a version so readers rebuild their index. */
export async function replaceStreets(db: Tx, rows: Required<StreetRow>[], onProgress?: (done: number) => void): Promise<void> {
  await db.delete(streets);
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH).map((r) => ({ s: r.street, w: r.wardId, p: r.postcodeDistrict ?? '' }));
    await db.execute(sql`insert into ${streets} (street, ward_id, postcode_district)
      select s, w, p from json_to_recordset(${JSON.stringify(chunk)}::json) as x(s text, w text, p text)`);
    onProgress?.(i + chunk.length);
  }
  await db.execute(sql`insert into ${settings} (key, value) values (${VERSION_KEY}, '1'::jsonb)
    on conflict (key) do update set value = to_jsonb(coalesce((${settings.value} #>> '{}')::int, 0) + 1)`);
}

export async function loadStreets(db: Tx): Promise<Required<StreetRow>[]> {
  const rows = await db.select().from(streets).orderBy(streets.street, streets.wardId, streets.postcodeDistrict);
  return rows.map((r) => ({ street: r.street, wardId: r.wardId, postcodeDistrict: r.postcodeDistrict }));
}

async function streetsVersion(db: Tx): Promise<number> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, VERSION_KEY));
  return typeof row?.value === 'number' ? row.value : 0;
}

/** The council's streets and the shipped postcode districts of its ward set, as one gazetteer. */
export async function loadStreetGazetteer(db: Tx, wardSet: string): Promise<StreetGazetteer> {
  return buildStreetGazetteer(await loadStreets(db), defaultPostcodeDistricts(wardSet));
}

/**
 * A loader for long-running processes: reads one setting per call and rebuilds the gazetteer only
 * after an import (from any process) has changed the streets.
 */
export function createStreetGazetteerLoader(db: Tx): (wardSet: string) => Promise<StreetGazetteer> {
  let cached: { key: string; gazetteer: Promise<StreetGazetteer> } | null = null;
  return async (wardSet) => {
    const key = `${await streetsVersion(db)}|${wardSet}`;
    if (cached?.key !== key) {
      const gazetteer = loadStreetGazetteer(db, wardSet);
      cached = { key, gazetteer };
      gazetteer.catch(() => { if (cached?.gazetteer === gazetteer) cached = null; });
    }
    return cached.gazetteer;
  };
}
