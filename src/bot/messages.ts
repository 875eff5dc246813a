import type { CatalogueIndex } from '../catalogue/catalogue.js';
import type { CaseRecord } from '../cases/case-record.js';
import { formatLondonIso } from '../cases/sla.js';
import type { Directory } from '../directory/person.js';
import type { ActionId } from './chat-port.js';

/** Platform-neutral messages; each adapter renders them (Block Kit, Adaptive Cards, the workspace). */
export interface ButtonSpec {
  actionId: ActionId;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export interface CaseView {
  caseId: string;
  reference: string;
  status: string;
  statusLabel: string;
  service: string;
  ward: string;
  location: string | null;
  urgent: boolean;
  summary: string;
  assignee: string;
  acknowledgeBy: string | null;
  respondBy: string | null;
}

export type NeutralMessage =
  | { type: 'case_card'; audience: 'rm' | 'councillor'; case: CaseView; text: string; buttons: ButtonSpec[] }
  | { type: 'notice'; text: string }
  | { type: 'clarify'; text: string; buttons: ButtonSpec[] }
  | { type: 'mirror'; author: string; text: string; caseRef: string };

export const STATUS_LABELS: Record<string, string> = {
  new: 'New (with triage)', routed: 'Sent to the RM', acknowledged: 'Acknowledged', in_progress: 'In progress',
  needs_info: 'Waiting for information', resolved: 'Resolved', reopened: 'Reopened', closed: 'Closed',
};

const when = (d: Date | null, zone: string) => (d ? formatLondonIso(d, zone).slice(0, 16).replace('T', ' ') : null);

export function caseView(c: CaseRecord, index: CatalogueIndex, directory: Directory, zone: string): CaseView {
  return {
    caseId: c.id, reference: c.reference, status: c.status, statusLabel: STATUS_LABELS[c.status] ?? c.status,
    service: c.serviceId ? index.service(c.serviceId)?.name ?? c.serviceId : 'Not yet known',
    ward: c.wardId ? index.ward(c.wardId)?.name ?? c.wardId : 'Not yet known',
    location: c.location, urgent: c.urgency === 'urgent', summary: c.summary,
    assignee: (c.assigneeId && directory.byId.get(c.assigneeId)?.name) || 'Triage',
    acknowledgeBy: when(c.acknowledgeBy, zone), respondBy: when(c.respondBy, zone),
  };
}

const OPEN = new Set(['new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'reopened']);

/** The RM's card: the buttons that make sense in the case's status. */
export function rmCard(v: CaseView): NeutralMessage {
  const b = (actionId: ActionId, label: string, style?: 'primary' | 'danger'): ButtonSpec => ({ actionId, label, value: v.caseId, ...(style ? { style } : {}) });
  const buttons: ButtonSpec[] = [];
  if (v.status === 'routed' || v.status === 'new' || v.status === 'reopened') buttons.push(b('case.acknowledge', 'Acknowledge', 'primary'));
  if (OPEN.has(v.status)) buttons.push(b('case.need_info', 'Need info'), b('case.resolve', 'Resolve'), b('case.reassign', 'Reassign'), b('case.wrong_route', 'Wrong route', 'danger'));
  const text = `${v.urgent ? 'URGENT · ' : ''}${v.reference} · ${v.service} · ${v.ward}${v.location ? ` · ${v.location}` : ''} — ${v.statusLabel}`;
  return { type: 'case_card', audience: 'rm', case: v, text, buttons };
}

/** The councillor's confirmation, kept current as the case moves. */
export function councillorCard(v: CaseView): NeutralMessage {
  const buttons: ButtonSpec[] = [];
  if (v.status === 'routed' || v.status === 'new') {
    buttons.push({ actionId: 'case.wrong_route', label: 'Edit', value: v.caseId }, { actionId: 'case.cancel', label: 'Cancel', value: v.caseId, style: 'danger' });
  }
  if (v.status === 'resolved') buttons.push({ actionId: 'case.reopen', label: 'Reopen', value: v.caseId });
  const text = `${v.reference} logged: ${v.service} in ${v.ward}${v.location ? ` (${v.location})` : ''}. ${v.assignee} has it; response due by ${v.respondBy ?? '—'}. Status: ${v.statusLabel}.`;
  return { type: 'case_card', audience: 'councillor', case: v, text, buttons };
}
