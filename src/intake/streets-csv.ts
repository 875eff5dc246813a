import type { CatalogueIndex } from '../catalogue/catalogue.js';
import { LineErrors, readCsv, writeCsv } from '../routing/csv-support.js';
import { postcodeDistrictOf, streetWords, type StreetRow } from './street-gazetteer.js';

export const STREETS_HEADER = ['street', 'ward'] as const;
export const STREETS_OPTIONAL = ['postcode_district'] as const;

/**
 * The street gazetteer: `street,ward[,postcode_district]`, one row per street and ward it lies in
 * (a long road has a row for each ward). Every bad line is reported.
 */
export function parseStreetsCsv(text: string, index: CatalogueIndex): { ok: true; streets: Required<StreetRow>[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, STREETS_HEADER, STREETS_OPTIONAL);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const seen = new Map<string, number>();
  const streets: Required<StreetRow>[] = [];
  for (const { line, cells } of read.rows) {
    const street = (cells.street ?? '').replace(/\s+/g, ' ');
    const ward = cells.ward ?? '';
    const pc = cells.postcode_district ?? '';
    const district = pc ? postcodeDistrictOf(pc) : '';
    if (!streetWords(street).some((w) => /[a-z]/.test(w))) errors.add(line, 'the street is empty or has no letters');
    else if (street.length > 100) errors.add(line, 'the street is over 100 characters');
    if (!index.ward(ward)) errors.add(line, ward ? `unknown ward "${ward}"` : 'the ward is empty');
    if (district === null) errors.add(line, `"${pc}" is not a postcode district (like B23)`);
    const key = `${streetWords(street).join(' ')}|${ward}|${district}`;
    if (seen.has(key)) errors.add(line, `duplicate of line ${seen.get(key)}`);
    else seen.set(key, line);
    if (!errors.has(line)) streets.push({ street, wardId: ward, postcodeDistrict: district ?? '' });
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, streets };
}

/** The gazetteer in the import format, sorted; export then import changes nothing. */
export function exportStreetsCsv(rows: Required<StreetRow>[]): string {
  const sorted = [...rows].sort((a, b) => a.street.localeCompare(b.street) || a.wardId.localeCompare(b.wardId) || (a.postcodeDistrict ?? '').localeCompare(b.postcodeDistrict ?? ''));
  return writeCsv([...STREETS_HEADER, ...STREETS_OPTIONAL], sorted.map((r) => [r.street, r.wardId, r.postcodeDistrict ?? '']));
}
