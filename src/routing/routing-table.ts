import type { Scope } from '../shared/enums.js';
import type { PersonId, ServiceId, WardId } from '../shared/ids.js';

/** service × scope(area) → RM (+ deputy). area is a ward, cluster or district id; null for city. */
export interface RoutingRule {
  id: string;
  serviceId: ServiceId;
  scope: Scope;
  area: string | null;
  rmId: PersonId;
  deputyId: PersonId | null;
}

export interface RoutingTable {
  version: number;
  rules: RoutingRule[];
  /** Who gets cases no rule covers; never dropped. */
  triageOwnerId: PersonId | null;
}

export interface RouteQuery {
  serviceId: ServiceId;
  wardId: WardId;
  /** The day the case is routed (council-time ISO date, yyyy-mm-dd), for away periods. */
  onDate: string;
}

export type RouteDecision =
  | {
      kind: 'routed';
      ruleId: string;
      version: number;
      scope: Scope;
      area: string | null;
      rmId: PersonId;
      deputyId: PersonId | null;
      /** Who the case goes to now: the RM, or the deputy while the RM is away. */
      assigneeId: PersonId;
      reason: string;
    }
  | {
      kind: 'unrouted';
      version: number;
      reason: string;
      assigneeId: PersonId | null;
    };

/** Everyone around a case: the chain to escalate along and who gets notices. */
export interface CaseContacts {
  wacIds: PersonId[];
  seniorOfficerId: PersonId | null;
  escalationManagerId: PersonId | null;
}
