import type { CaseStatus } from '../shared/enums.js';
import { AppError } from '../shared/errors.js';

/** What can be done to a case. */
export const CASE_ACTIONS = [
  'acknowledge', 'addUpdate', 'requestInfo', 'provideInfo', 'resolve', 'reopen', 'reassign', 'reroute', 'close',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** `same` keeps the status; `restore` returns to the status before needs_info. */
type Target = CaseStatus | 'same' | 'restore';

/**
 * The lifecycle as one explicit table: new → routed → acknowledged → in_progress → resolved →
 * closed, plus needs_info (pauses the SLA clock) and reopened. An action missing for a status is
 * refused. Reassign keeps the status (an unrouted case becomes routed); a reroute goes back to
 * routed because the new RM must acknowledge. Closing an open case withdraws it.
 */
export const TRANSITIONS: Record<CaseAction, Partial<Record<CaseStatus, Target>>> = {
  acknowledge: { new: 'acknowledged', routed: 'acknowledged', reopened: 'acknowledged' },
  addUpdate: {
    new: 'same', routed: 'in_progress', acknowledged: 'in_progress', in_progress: 'same', needs_info: 'same',
    reopened: 'in_progress', resolved: 'same',
  },
  requestInfo: { routed: 'needs_info', acknowledged: 'needs_info', in_progress: 'needs_info', reopened: 'needs_info' },
  provideInfo: { needs_info: 'restore' },
  resolve: { new: 'resolved', routed: 'resolved', acknowledged: 'resolved', in_progress: 'resolved', needs_info: 'resolved', reopened: 'resolved' },
  reopen: { resolved: 'reopened' },
  reassign: { new: 'routed', routed: 'same', acknowledged: 'same', in_progress: 'same', needs_info: 'same', reopened: 'same' },
  reroute: { new: 'routed', routed: 'routed', acknowledged: 'routed', in_progress: 'routed', needs_info: 'routed', reopened: 'routed' },
  close: { new: 'closed', routed: 'closed', acknowledged: 'closed', in_progress: 'closed', needs_info: 'closed', reopened: 'closed', resolved: 'closed' },
};

export type TransitionResult = { ok: true; to: CaseStatus } | { ok: false; reason: string };

const words = (s: string) => s.replace('_', ' ');
const ACTION_WORDS: Record<CaseAction, string> = {
  acknowledge: 'acknowledged', addUpdate: 'updated', requestInfo: 'asked for information', provideInfo: 'given information',
  resolve: 'resolved', reopen: 'reopened', reassign: 'reassigned', reroute: 'rerouted', close: 'closed',
};

export function transition(status: CaseStatus, action: CaseAction, statusBeforeInfo: CaseStatus | null = null): TransitionResult {
  const target = TRANSITIONS[action][status];
  if (!target) return { ok: false, reason: `A case that is ${words(status)} cannot be ${ACTION_WORDS[action]}.` };
  if (target === 'same') return { ok: true, to: status };
  if (target === 'restore') return { ok: true, to: statusBeforeInfo ?? 'routed' };
  return { ok: true, to: target };
}

export function assertTransition(status: CaseStatus, action: CaseAction, reference: string, statusBeforeInfo: CaseStatus | null = null): CaseStatus {
  const r = transition(status, action, statusBeforeInfo);
  if (!r.ok) throw new AppError('case.invalid_transition', `${reference}: ${r.reason}`, { meta: { reference, status, action } });
  return r.to;
}
