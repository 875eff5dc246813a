import type { Person } from '../directory/person.js';
import type { RoutingTable } from './routing-table.js';

/**
 * What an import would break that is hard to put back: most of the directory made inactive,
 * people or clusters the routing table sends cases to taken away. Each returns the reasons to
 * refuse (empty: go ahead); the CLI refuses unless the admin says --force.
 */
const RM_ROLES = ['rm', 'manager', 'admin'];
const SHOWN = 5;

const listSome = (items: string[]) => items.length <= SHOWN ? items.join(', ') : `${items.slice(0, SHOWN).join(', ')} and ${items.length - SHOWN} more`;

function rulesByPerson(table: RoutingTable): Map<string, number> {
  const uses = new Map<string, number>();
  for (const r of table.rules) {
    for (const id of [r.rmId, r.deputyId]) if (id) uses.set(id, (uses.get(id) ?? 0) + 1);
  }
  return uses;
}

/** `current`: everyone in the directory now (inactive people are ignored); `incoming`: the file. */
export function peopleImportRisks(current: Person[], incoming: { email: string; roles: string[] }[], table: RoutingTable): string[] {
  const byEmail = new Map(incoming.map((p) => [p.email.toLowerCase(), p]));
  // Guests (no roles) are expected to go at the next import; they do not count as the directory.
  const staff = current.filter((p) => p.active && p.roles.length > 0);
  const leaving = staff.filter((p) => !byEmail.has(p.email.toLowerCase()));
  const reasons: string[] = [];
  if (leaving.length * 2 > staff.length) {
    reasons.push(`mark ${leaving.length} of the ${staff.length} people in the directory inactive (${listSome(leaving.map((p) => p.email))})`);
  }
  const uses = rulesByPerson(table);
  const lost: string[] = [];
  for (const p of current.filter((x) => x.active && uses.has(x.id))) {
    const next = byEmail.get(p.email.toLowerCase());
    if (!next) lost.push(`${p.email} (not in the file; ${uses.get(p.id)} routing rules)`);
    else if (!next.roles.some((r) => RM_ROLES.includes(r))) lost.push(`${p.email} (no rm, manager or admin role; ${uses.get(p.id)} routing rules)`);
  }
  if (lost.length) reasons.push(`take away people the routing table sends cases to: ${listSome(lost)}`);
  return reasons;
}

/** Clusters named by cluster rules of the routing table must stay. */
export function clustersImportRisks(incomingIds: string[], table: RoutingTable): string[] {
  const keep = new Set(incomingIds);
  const used = new Map<string, number>();
  for (const r of table.rules) if (r.scope === 'cluster' && r.area && !keep.has(r.area)) used.set(r.area, (used.get(r.area) ?? 0) + 1);
  if (!used.size) return [];
  return [`remove clusters the routing table uses: ${listSome([...used].map(([id, n]) => `${id} (${n} routing rules)`))}`];
}

/** The words of a refusal: what would happen, how to check, how to go ahead anyway. */
export function refusalMessage(file: string, reasons: string[]): string {
  return `${file} was not imported; nothing changed. It would ${reasons.join('; and ')}. `
    + 'If that is what you mean, run the import again with --force.';
}

/** A file with a header and no rows empties nothing, even with --force: say what to do instead. */
export function headerOnlyMessage(file: string, what: string, exportCommand: string): string {
  return `${file} has a header but no rows, so it was not imported (not even with --force); nothing changed. `
    + `An import replaces all the ${what}: start from "${exportCommand}", edit that file and import it.`;
}
