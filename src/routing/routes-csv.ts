import { z } from 'zod';
import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory } from '../directory/person.js';
import { SCOPES, type Scope } from '../shared/enums.js';
import { asPersonId, asServiceId, type PersonId } from '../shared/ids.js';
import { LineErrors, readCsv, writeCsv } from './csv-support.js';
import type { RoutingRule } from './routing-table.js';

export const ROUTES_HEADER = ['service', 'scope', 'area', 'rm', 'deputy'] as const;
const RM_ROLES = ['rm', 'manager', 'admin'];

const rowSchema = z.object({
  service: z.string().min(1, 'the service is empty'),
  scope: z.enum(SCOPES, { error: () => `the scope must be one of ${SCOPES.join(', ')}` }),
  area: z.string(),
  rm: z.string().min(1, 'the rm (an email) is empty'),
  deputy: z.string(),
});

type NewRule = Omit<RoutingRule, 'id'>;

function areaProblem(index: CatalogueIndex, scope: Scope, area: string): string | null {
  if (scope === 'city') return area ? `a city rule has no area (found "${area}")` : null;
  if (!area) return `a ${scope} rule needs an area: the ${scope} id`;
  const known = scope === 'ward' ? index.ward(area) : scope === 'cluster' ? index.clusterById.get(area) : index.districtById.get(area);
  if (known) return null;
  const elsewhere = (['ward', 'cluster', 'district'] as const).filter((s) => s !== scope &&
    (s === 'ward' ? index.ward(area) : s === 'cluster' ? index.clusterById.get(area) : index.districtById.get(area)));
  return `unknown ${scope} "${area}"${elsewhere.length ? ` (it is a ${elsewhere.join(' and a ')}: change the scope)` : ''}`;
}

function personProblem(directory: Directory, email: string, what: 'rm' | 'deputy'): { id?: PersonId; problem?: string } {
  const p = directory.byEmail.get(email.toLowerCase());
  if (!p) return { problem: `unknown ${what} ${email}: add them with "wardline people import" first` };
  if (!p.active) return { problem: `the ${what} ${email} is inactive in the directory` };
  if (!p.roles.some((r) => RM_ROLES.includes(r))) return { problem: `the ${what} ${email} has none of the roles rm, manager or admin` };
  return { id: p.id };
}

/**
 * Validates a whole routes file against the catalogue and the directory. Every bad line is
 * reported; nothing is returned unless every line is good.
 */
export function parseRoutesCsv(text: string, index: CatalogueIndex, directory: Directory): { ok: true; rules: NewRule[] } | { ok: false; errors: string[] } {
  const read = readCsv(text, ROUTES_HEADER);
  if (!read.ok) return read;
  const errors = new LineErrors();
  const rules: NewRule[] = [];
  const seen = new Map<string, { line: number; rm: string; deputy: string }>();
  for (const { line, cells } of read.rows) {
    const parsed = rowSchema.safeParse(cells);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.add(line, issue.message);
      continue;
    }
    const r = parsed.data;
    if (!index.service(r.service)) errors.add(line, `unknown service "${r.service}"`);
    const area = areaProblem(index, r.scope, r.area);
    if (area) errors.add(line, area);
    const rm = personProblem(directory, r.rm, 'rm');
    if (rm.problem) errors.add(line, rm.problem);
    const deputy = r.deputy ? personProblem(directory, r.deputy, 'deputy') : {};
    if (deputy.problem) errors.add(line, deputy.problem);
    if (r.deputy && r.deputy.toLowerCase() === r.rm.toLowerCase()) errors.add(line, 'the deputy is the RM; name someone else or leave it empty');
    const key = `${r.service}|${r.scope}|${r.area}`;
    const prev = seen.get(key);
    if (prev) {
      const same = prev.rm === r.rm.toLowerCase() && prev.deputy === r.deputy.toLowerCase();
      errors.add(line, same ? `duplicate of line ${prev.line}` : `conflicts with line ${prev.line} (same service, scope and area, another RM or deputy)`);
    } else {
      seen.set(key, { line, rm: r.rm.toLowerCase(), deputy: r.deputy.toLowerCase() });
    }
    if (!errors.has(line) && rm.id) {
      rules.push({ serviceId: asServiceId(r.service), scope: r.scope, area: r.scope === 'city' ? null : r.area, rmId: rm.id, deputyId: deputy.id ? asPersonId(deputy.id) : null });
    }
  }
  return errors.size ? { ok: false, errors: errors.list() } : { ok: true, rules };
}

const SCOPE_ORDER: Record<Scope, number> = { ward: 0, cluster: 1, district: 2, city: 3 };

/** The table in the import format, in a stable order: export → import → export is byte-identical. */
export function exportRoutesCsv(rules: Omit<RoutingRule, 'id'>[], directory: Directory): string {
  const email = (id: string | null) => (id ? directory.byId.get(id)?.email ?? '' : '');
  const sorted = [...rules].sort((a, b) => a.serviceId.localeCompare(b.serviceId) || SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || (a.area ?? '').localeCompare(b.area ?? ''));
  return writeCsv(ROUTES_HEADER, sorted.map((r) => [r.serviceId, r.scope, r.area ?? '', email(r.rmId), email(r.deputyId)]));
}

/** The rows of a routes file as comparable keys (emails in lower case, order ignored); null if unreadable. */
function routeKeys(text: string): string[] | null {
  const read = readCsv(text, ROUTES_HEADER);
  if (!read.ok) return null;
  return read.rows.map(({ cells: c }) => [c.service, c.scope, c.area, c.rm?.toLowerCase(), c.deputy?.toLowerCase()].join(',')).sort();
}

/** Whether a routes file says exactly what the current table (as exported) says. */
export function sameRoutes(text: string, currentExport: string): boolean {
  const [a, b] = [routeKeys(text), routeKeys(currentExport)];
  return !!a && !!b && a.length === b.length && a.every((k, i) => k === b[i]);
}
