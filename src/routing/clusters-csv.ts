import type { CatalogueIndex, Cluster } from '../catalogue/catalogue.js';
import { LineErrors, readCsv, splitList, writeCsv } from './csv-support.js';

export const CLUSTERS_HEADER = ['cluster', 'name', 'wards'] as const;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface NewCluster {
  id: string;
  name: string;
  wardIds: string[];
}

/** Ward clusters: `cluster,name,wards` with `;`-separated ward ids. Every bad line is reported. */
export function parseClustersCsv(text: string, index: CatalogueIndex): { ok: true; clusters: NewCluster[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, CLUSTERS_HEADER);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const seen = new Map<string, number>();
  const clusters: NewCluster[] = [];
  for (const { line, cells } of read.rows) {
    const id = cells.cluster ?? '';
    const wards = splitList(cells.wards ?? '');
    if (!SLUG.test(id)) errors.add(line, `the cluster id "${id}" must be lower-case letters, digits and hyphens`);
    if (seen.has(id)) errors.add(line, `duplicate of line ${seen.get(id)}`);
    else seen.set(id, line);
    if (!cells.name) errors.add(line, 'the name is empty');
    if (!wards.length) errors.add(line, 'a cluster needs at least one ward');
    for (const w of wards) if (!index.ward(w)) errors.add(line, `unknown ward "${w}"`);
    const dup = wards.find((w, i) => wards.indexOf(w) !== i);
    if (dup) errors.add(line, `ward "${dup}" is listed twice`);
    if (!errors.has(line)) clusters.push({ id, name: cells.name!, wardIds: wards });
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, clusters };
}

export function exportClustersCsv(clusters: Cluster[]): string {
  return writeCsv(CLUSTERS_HEADER, [...clusters].sort((a, b) => a.id.localeCompare(b.id)).map((c) => [c.id, c.name, c.wardIds.join(';')]));
}
