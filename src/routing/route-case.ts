import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { Directory, Person } from '../directory/person.js';
import type { Scope } from '../shared/enums.js';
import type { PersonId } from '../shared/ids.js';
import type { CaseContacts, RouteDecision, RouteQuery, RoutingRule, RoutingTable } from './routing-table.js';

const ruleKey = (service: string, scope: Scope, area: string | null) => `${service}|${scope}|${area ?? ''}`;
const indexCache = new WeakMap<RoutingTable, Map<string, RoutingRule>>();

function ruleIndex(table: RoutingTable): Map<string, RoutingRule> {
  let idx = indexCache.get(table);
  if (!idx) {
    idx = new Map(table.rules.map((r) => [ruleKey(r.serviceId, r.scope, r.area), r]));
    indexCache.set(table, idx);
  }
  return idx;
}

const isAway = (p: Person | undefined, onDate: string) => !!p && p.away.some((a) => a.from <= onDate && onDate <= a.to);

/**
 * Pure: the most specific rule wins (ward > cluster > district > city). A ward in several clusters
 * with rules takes the lowest cluster id. No rule → unrouted, to the triage owner. An RM away on
 * the day → the deputy. Never throws.
 */
export function routeCase(table: RoutingTable, index: CatalogueIndex, directory: Directory, q: RouteQuery): RouteDecision {
  const unrouted = (reason: string): RouteDecision => ({ kind: 'unrouted', version: table.version, reason, assigneeId: table.triageOwnerId });
  if (!index.service(q.serviceId)) return unrouted(`There is no service "${q.serviceId}"; sent to triage.`);
  if (!index.ward(q.wardId)) return unrouted(`There is no ward "${q.wardId}"; sent to triage.`);
  const idx = ruleIndex(table);
  const areas = index.areasOfWard(q.wardId);
  const candidates: [Scope, string | null, string][] = [
    ['ward', q.wardId, `ward ${q.wardId}`],
    ...[...areas.clusters].sort().map((c): [Scope, string, string] => ['cluster', c, `cluster ${c}`]),
    ...(areas.district ? [['district', areas.district, `district ${areas.district}`] as [Scope, string, string]] : []),
    ['city', null, 'the whole city'],
  ];
  for (const [scope, area, label] of candidates) {
    const rule = idx.get(ruleKey(q.serviceId, scope, area));
    if (!rule) continue;
    const rm = directory.byId.get(rule.rmId);
    const deputy = rule.deputyId ? directory.byId.get(rule.deputyId) : undefined;
    let assigneeId: PersonId = rule.rmId;
    let note = '';
    if (isAway(rm, q.onDate) || (rm && !rm.active)) {
      if (deputy && deputy.active && !isAway(deputy, q.onDate)) {
        assigneeId = deputy.id;
        note = `; ${rm?.name ?? 'the RM'} is away, so the deputy ${deputy.name} has it`;
      } else {
        note = `; ${rm?.name ?? 'the RM'} is away and there is no deputy available`;
      }
    }
    return {
      kind: 'routed', ruleId: rule.id, version: table.version, scope, area, rmId: rule.rmId, deputyId: rule.deputyId, assigneeId,
      reason: `${scope[0]!.toUpperCase()}${scope.slice(1)} rule for ${q.serviceId} in ${label} (table v${table.version})${note}.`,
    };
  }
  return unrouted(`No rule for ${q.serviceId} covers ${q.wardId} in table v${table.version}; sent to triage.`);
}

/** WACs and the senior officer of the ward, and the service's escalation manager. */
export function resolveContacts(_index: CatalogueIndex, directory: Directory, q: Pick<RouteQuery, 'serviceId' | 'wardId'>): CaseContacts {
  const people = [...directory.people].filter((p) => p.active).sort((a, b) => a.email.localeCompare(b.email));
  return {
    wacIds: people.filter((p) => p.roles.includes('wac') && p.wardIds.includes(q.wardId)).map((p) => p.id),
    seniorOfficerId: people.find((p) => p.roles.includes('senior_officer') && p.wardIds.includes(q.wardId))?.id ?? null,
    escalationManagerId: people.find((p) => p.roles.includes('manager') && p.serviceIds.includes(q.serviceId))?.id ?? null,
  };
}
