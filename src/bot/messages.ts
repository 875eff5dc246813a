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
  /** The button asks for more before acting: a note, a person, or a service and ward. */
  form?: { kind: 'text' | 'person' | 'route'; label: string; required: boolean };
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
  | { type: 'case_card'; audience: 'rm'; case: CaseView; text: string; buttons: ButtonSpec[] }
  | { type: 'confirmation'; cases: CaseView[]; text: string; buttons: ButtonSpec[] }
  /** `image`: a PNG (base64) with its text alternative, shown where the platform takes inline images. */
  | { type: 'notice'; text: string; image?: { png: string; alt: string } }
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
  const value = `${v.caseId}:${v.status}`;
  const b = (actionId: ActionId, label: string, extra: Partial<ButtonSpec> = {}): ButtonSpec => ({ actionId, label, value, ...extra });
  const buttons: ButtonSpec[] = [];
  if (v.status === 'routed' || v.status === 'new' || v.status === 'reopened') buttons.push(b('case.acknowledge', 'Acknowledge', { style: 'primary' }));
  if (OPEN.has(v.status)) {
    buttons.push(
      b('case.update', 'Update', { form: { kind: 'text', label: 'Update for the councillor', required: true } }),
      b('case.need_info', 'Need info', { form: { kind: 'text', label: 'What do you need to know?', required: true } }),
      b('case.resolve', 'Resolve', { form: { kind: 'text', label: 'What was done (optional)', required: false } }),
      b('case.reassign', 'Reassign', { form: { kind: 'person', label: 'Reassign to', required: true } }),
      b('case.wrong_route', 'Wrong route', { style: 'danger', form: { kind: 'route', label: 'Where should it go?', required: true } }),
    );
  }
  const due = v.status === 'routed' || v.status === 'new' || v.status === 'reopened' ? `acknowledge by ${v.acknowledgeBy ?? '—'}` : `respond by ${v.respondBy ?? '—'}`;
  const text = `${v.urgent ? 'URGENT · ' : ''}${v.reference} · ${v.service} · ${v.ward}${v.location ? ` · ${v.location}` : ''} — ${v.statusLabel}${OPEN.has(v.status) ? ` (${due})` : ''}\n${v.summary}`;
  return { type: 'case_card', audience: 'rm', case: v, text, buttons };
}

/** The councillor's confirmation for one or several cases, kept current as they move. */
export function confirmationCard(views: CaseView[]): NeutralMessage {
  const buttons: ButtonSpec[] = [];
  const many = views.length > 1;
  for (const v of views) {
    const value = `${v.caseId}:${v.status}`;
    const suffix = many ? ` ${v.reference}` : '';
    if (v.status === 'routed' || v.status === 'new') {
      buttons.push(
        { actionId: 'case.edit', label: `Edit${suffix}`, value, form: { kind: 'route', label: 'Correct the service or ward', required: true } },
        { actionId: 'case.cancel', label: `Cancel${suffix}`, value, style: 'danger' },
      );
    }
    if (v.status === 'resolved') buttons.push({ actionId: 'case.reopen', label: `Reopen${suffix}`, value, form: { kind: 'text', label: 'Why is it not fixed?', required: true } });
  }
  const line = (v: CaseView) => `${v.urgent ? 'URGENT · ' : ''}${v.reference}: ${v.service} in ${v.ward}${v.location ? ` (${v.location})` : ''}. `
    + `${v.assignee} has it; response due by ${v.respondBy ?? '—'}. Status: ${v.statusLabel}.`;
  const text = many ? `Logged ${views.length} cases:\n${views.map((v) => `• ${line(v)}`).join('\n')}` : `Logged ${line(views[0]!)}`;
  return { type: 'confirmation', cases: views, text, buttons };
}

export const notice = (text: string): NeutralMessage => ({ type: 'notice', text });
