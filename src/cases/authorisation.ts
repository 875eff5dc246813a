import type { Person } from '../directory/person.js';
import type { CaseStatus } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';
import type { PersonId, ServiceId, WardId } from '../shared/ids.js';
import type { CaseAction } from './lifecycle.js';

export type { CaseAction } from './lifecycle.js';

export interface CaseView {
  serviceId: ServiceId | null;
  wardId: WardId | null;
  assigneeId: PersonId | null;
  rmId: PersonId | null;
  deputyId: PersonId | null;
  raisedById: PersonId;
  watcherIds: PersonId[];
  status: CaseStatus;
  resolvedAt: Date | null;
}

export const REOPEN_WINDOW_DAYS = 14;
const STAFF_ACTIONS: readonly CaseAction[] = ['acknowledge', 'addUpdate', 'requestInfo', 'provideInfo', 'resolve', 'reopen', 'reassign', 'reroute', 'close'];
const MEMBER_ACTIONS: readonly CaseAction[] = ['addUpdate', 'provideInfo', 'reopen'];

export type Permission = { ok: true } | { ok: false; reason: string };

/** The case's RM or deputy or assignee, the service's managers, and admins act on a case. */
export function isStaffOnCase(actor: Person, c: CaseView): boolean {
  if (!actor.active) return false;
  if (actor.roles.includes('admin')) return true;
  if (actor.id === c.assigneeId || actor.id === c.rmId || actor.id === c.deputyId) return true;
  return actor.roles.includes('manager') && !!c.serviceId && actor.serviceIds.includes(c.serviceId);
}

/** The councillor who raised it or watches it, and the ward's councillors. */
export function isMemberOnCase(actor: Person, c: CaseView): boolean {
  if (!actor.active) return false;
  if (actor.id === c.raisedById || c.watcherIds.includes(actor.id)) return true;
  return actor.roles.includes('councillor') && !!c.wardId && actor.wardIds.includes(c.wardId);
}

/** WACs see their clusters' wards (listed on the person), senior officers their wards. */
function coversWard(actor: Person, c: CaseView): boolean {
  return (actor.roles.includes('wac') || actor.roles.includes('senior_officer')) && !!c.wardId && actor.wardIds.includes(c.wardId);
}

/**
 * Who may open a case. A restricted service's case (housing, community safety) is open only to
 * those it may be described to (see `mayDescribe`) and to the ward's councillors, WACs and senior
 * officers, who see that it exists but not what it says; other managers do not see it at all.
 */
export function canView(actor: Person, c: CaseView, opts: { restricted?: boolean } = {}): boolean {
  if (isStaffOnCase(actor, c) || isMemberOnCase(actor, c) || (actor.active && coversWard(actor, c))) return true;
  return actor.active && actor.roles.includes('manager') && !opts.restricted;
}

/**
 * The one rule for restricted services, used by chat, digests and the web: their cases are counted
 * everywhere but described (summary, description, place, timeline text) only to the case's staff
 * (RM, deputy, assignee, the service's managers, admins) and to the councillor who raised or
 * follows it. With no actor (a digest to a list of subscribers) a restricted case is never described.
 */
export function mayDescribe(actor: Person | null, c: CaseView | null, restricted: boolean): boolean {
  if (!restricted) return true;
  if (!actor || !c || !actor.active) return false;
  return isStaffOnCase(actor, c) || actor.id === c.raisedById || c.watcherIds.includes(actor.id);
}

/**
 * The cases a person works with, as a union of conditions for a database query: raised or
 * followed (everyone), assigned or as RM or deputy (RMs), the wards they cover (WACs, senior
 * officers; councillors their wards), the services they manage (managers); admins see all.
 */
export interface CaseScope {
  all: boolean;
  personId: PersonId;
  wardIds: WardId[];
  serviceIds: ServiceId[];
}

export function caseScopeOf(actor: Person): CaseScope {
  const wardRoles = actor.roles.some((r) => r === 'councillor' || r === 'wac' || r === 'senior_officer');
  return {
    all: actor.active && actor.roles.includes('admin'),
    personId: actor.id,
    wardIds: actor.active && wardRoles ? actor.wardIds : [],
    serviceIds: actor.active && actor.roles.includes('manager') ? actor.serviceIds : [],
  };
}

export function can(actor: Person, action: CaseAction, c: CaseView, now: Date): Permission {
  if (!actor.active) return { ok: false, reason: 'Your wardline account is inactive; ask an admin.' };
  if (isStaffOnCase(actor, c) && STAFF_ACTIONS.includes(action)) return { ok: true };
  const member = isMemberOnCase(actor, c);
  if (member && MEMBER_ACTIONS.includes(action)) {
    if (action !== 'reopen') return { ok: true };
    const resolvedAt = c.resolvedAt?.getTime() ?? now.getTime();
    if (now.getTime() - resolvedAt <= REOPEN_WINDOW_DAYS * 86_400_000) return { ok: true };
    return { ok: false, reason: `It is more than ${REOPEN_WINDOW_DAYS} days since this case was resolved; raise a new one instead.` };
  }
  if (action === 'addUpdate' && coversWard(actor, c)) return { ok: true };
  // The councillor who raised it may still correct (Edit) or withdraw (Cancel) it until the RM picks it up.
  if (actor.id === c.raisedById && (action === 'reroute' || action === 'close') && (c.status === 'new' || c.status === 'routed')) return { ok: true };
  return { ok: false, reason: member || coversWard(actor, c)
    ? 'Only the case\'s RM, their deputy, the service\'s managers or an admin can do that.'
    : 'You are not involved in this case.' };
}

export function assertCan(actor: Person, action: CaseAction, c: CaseView, now: Date): void {
  const p = can(actor, action, c, now);
  if (!p.ok) throw new AppError('case.forbidden', p.reason, { meta: { action } });
}
