import type { CatalogueIndex } from '../catalogue/catalogue.js';
import { LineErrors, readCsv } from '../routing/csv-support.js';

export const ALIASES_HEADER = ['alias', 'ward'] as const;

/** `alias,ward`: area names that lie in one ward. Every bad line is reported. */
export function parseAliasesCsv(text: string, index: CatalogueIndex): { ok: true; aliases: { alias: string; wardId: string }[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, ALIASES_HEADER);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const seen = new Map<string, number>();
  const aliases: { alias: string; wardId: string }[] = [];
  for (const { line, cells } of read.rows) {
    const alias = (cells.alias ?? '').replace(/\s+/g, ' ');
    const key = alias.toLowerCase();
    if (alias.length < 2) errors.add(line, 'the alias is empty or too short');
    else if (alias.length > 80) errors.add(line, 'the alias is over 80 characters');
    if (seen.has(key)) errors.add(line, `duplicate of line ${seen.get(key)}`);
    else seen.set(key, line);
    if (!index.ward(cells.ward ?? '')) errors.add(line, `unknown ward "${cells.ward}"`);
    if (!errors.has(line)) aliases.push({ alias, wardId: cells.ward! });
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, aliases };
}
