import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory } from '../directory/person.js';
import { LineErrors, readCsv } from '../routing/csv-support.js';

export const SUBSCRIPTIONS_HEADER = ['email', 'scope', 'area'] as const;
export const DIGEST_SCOPES = ['ward', 'cluster', 'district', 'service', 'city'] as const;
export type DigestScope = (typeof DIGEST_SCOPES)[number];

/** Checks that an area exists for a digest scope; null when it does. */
export function digestAreaProblem(index: CatalogueIndex, scope: DigestScope, area: string): string | null {
  if (scope === 'city') return area ? `a city digest has no area (found "${area}")` : null;
  if (!area) return `a ${scope} digest needs an area`;
  const ok = scope === 'ward' ? index.ward(area) : scope === 'cluster' ? index.clusterById.get(area)
    : scope === 'district' ? index.districtById.get(area) : index.service(area);
  return ok ? null : `unknown ${scope} "${area}"`;
}

/** `email,scope,area`: who gets which weekly digest. Every bad line is reported. */
export function parseSubscriptionsCsv(text: string, index: CatalogueIndex, directory: Directory):
  { ok: true; subscriptions: { personId: string; scope: DigestScope; area: string }[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, SUBSCRIPTIONS_HEADER);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const subscriptions: { personId: string; scope: DigestScope; area: string }[] = [];
  for (const { line, cells } of read.rows) {
    const person = directory.byEmail.get((cells.email ?? '').toLowerCase());
    if (!person) errors.add(line, `unknown person ${cells.email}: add them with "wardline people import" first`);
    const scope = cells.scope as DigestScope;
    if (!(DIGEST_SCOPES as readonly string[]).includes(scope)) errors.add(line, `the scope must be one of ${DIGEST_SCOPES.join(', ')}`);
    else {
      const problem = digestAreaProblem(index, scope, cells.area ?? '');
      if (problem) errors.add(line, problem);
    }
    if (!errors.has(line) && person) subscriptions.push({ personId: person.id, scope, area: cells.area ?? '' });
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, subscriptions };
}

/** The wards a digest subscription covers. */
export function wardsForDigest(index: CatalogueIndex, scope: DigestScope, area: string): string[] {
  switch (scope) {
    case 'ward': return index.ward(area) ? [area] : [];
    case 'cluster': return [...(index.clusterById.get(area)?.wardIds ?? [])];
    case 'district': return [...(index.districtById.get(area)?.wardIds ?? [])];
    default: return index.catalogue.wards.map((w) => w.id);
  }
}
