import type { CaseStatus } from '../shared/enums.js';
import type { CaseRecord } from './case-record.js';

/** The working-time operations the planner needs (the working calendar provides them). */
export interface PlanCalendar {
  isWorkingTime(d: Date): boolean;
  nextWorkingStart(d: Date): Date;
  addWorkingHours(d: Date, hours: number): Date;
}

export interface ReminderSettings {
  /** How long before a deadline the RM is reminded, in hours (urgent cases use `urgentLeadHours`). */
  leadHours: number;
  urgentLeadHours: number;
  /** Working hours after a breach before the senior officer is brought in. */
  seniorAfterWorkingHours: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { leadHours: 4, urgentLeadHours: 0.5, seniorAfterWorkingHours: 8 };

export const SLA_ACTION_KINDS = ['remind_acknowledge', 'remind_respond', 'breach_acknowledge', 'breach_respond', 'escalate_senior'] as const;
export type SlaActionKind = (typeof SLA_ACTION_KINDS)[number];

export interface SlaAction {
  kind: SlaActionKind;
  /** The deadline this action is about; with the kind it makes the once-only key. */
  dueAt: Date;
}

export const slaActionKey = (a: SlaAction) => `${a.kind}@${a.dueAt.toISOString()}`;

const ACK_PENDING: readonly CaseStatus[] = ['new', 'routed', 'reopened'];
const RESPOND_PENDING: readonly CaseStatus[] = ['new', 'routed', 'acknowledged', 'in_progress', 'reopened'];

type PlanCase = Pick<CaseRecord, 'status' | 'urgency' | 'acknowledgeBy' | 'respondBy' | 'acknowledgedAt' | 'respondedAt'>;

/**
 * What the SLA sweep must do for a case now, and when to look again. Pure: the sweep records
 * what was sent (`sent` holds the keys) so that every reminder and escalation happens once.
 * Non-urgent actions that fall out of hours wait for the next working morning; urgent ones do not.
 */
export function planSlaCheck(c: PlanCase, now: Date, cal: PlanCalendar, settings: ReminderSettings, sent: ReadonlySet<string>): { actions: SlaAction[]; nextCheckAt: Date | null } {
  const urgent = c.urgency === 'urgent';
  // A deadline at the very end of a working day is still in working time.
  const when = (t: Date) => (urgent || cal.isWorkingTime(new Date(t.getTime() - 1)) ? t : cal.nextWorkingStart(t));
  const lead = (urgent ? settings.urgentLeadHours : settings.leadHours) * 3_600_000;
  const schedule: { action: SlaAction; at: Date }[] = [];
  const deadline = (due: Date | null, remind: SlaActionKind, breach: SlaActionKind) => {
    if (!due) return;
    const remindAt = when(new Date(due.getTime() - lead));
    if (remindAt < due) schedule.push({ action: { kind: remind, dueAt: due }, at: remindAt });
    schedule.push({ action: { kind: breach, dueAt: due }, at: when(due) });
    schedule.push({ action: { kind: 'escalate_senior', dueAt: due }, at: when(cal.addWorkingHours(due, settings.seniorAfterWorkingHours)) });
  };
  if (ACK_PENDING.includes(c.status) && !c.acknowledgedAt) deadline(c.acknowledgeBy, 'remind_acknowledge', 'breach_acknowledge');
  if (RESPOND_PENDING.includes(c.status) && !c.respondedAt) deadline(c.respondBy, 'remind_respond', 'breach_respond');

  const pending = schedule.filter((s) => !sent.has(slaActionKey(s.action)));
  const due = pending.filter((s) => s.at <= now);
  // A reminder whose deadline has already passed is superseded by the breach.
  const actions = due
    .filter((s) => !(s.action.kind.startsWith('remind_') && s.action.dueAt <= now))
    .map((s) => s.action);
  const future = pending.filter((s) => s.at > now).map((s) => s.at.getTime());
  return { actions, nextCheckAt: future.length ? new Date(Math.min(...future)) : null };
}
