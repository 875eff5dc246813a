import { can, mayDescribe } from '../../cases/authorisation.js';
import type { CaseRecord } from '../../cases/case-record.js';
import type { CaseContext } from '../../cases/case-service.js';
import { transition, type CaseAction } from '../../cases/lifecycle.js';
import { caseRepoOn } from '../../db/case-store.js';
import type { Person } from '../../directory/person.js';
import { CASE_STATUSES, type CaseStatus } from '../../shared/enums.js';
import { AppError } from '../../shared/errors.js';
import { asPersonId, asServiceId, asWardId } from '../../shared/ids.js';
import { isRestricted, personName, selectField, serviceName, statusTag, summaryList, wardName, when, WITHHELD } from './case-views.js';
import { html, type Html } from './html.js';
import { errorSummary } from './layout.js';
import type { TrackerContext } from './tracker.js';

/** The web's case actions: the chat card's buttons, through the same case services. */
const ACTIONS = {
  acknowledge: { action: 'acknowledge', label: 'Acknowledge', done: 'You acknowledged the case; the councillor has been told.' },
  update: { action: 'addUpdate', label: 'Add an update', done: 'Your update is on the case and the councillor has it.' },
  need_info: { action: 'requestInfo', label: 'Ask the councillor for information', done: 'The case waits for the councillor\'s answer; the clock is paused.' },
  resolve: { action: 'resolve', label: 'Resolve', done: 'The case is resolved; the councillor has been told.' },
  reassign: { action: 'reassign', label: 'Reassign', done: 'The case has been reassigned; the new officer has the card in chat.' },
  wrong_route: { action: 'reroute', label: 'Wrong route: send it elsewhere', done: 'The case has been rerouted and the councillor told.' },
} as const satisfies Record<string, { action: CaseAction; label: string; done: string }>;
type WebAction = keyof typeof ACTIONS;

const isWebAction = (a: unknown): a is WebAction => typeof a === 'string' && a in ACTIONS;

function available(person: Person, c: CaseRecord, now: Date): WebAction[] {
  return (Object.keys(ACTIONS) as WebAction[]).filter((k) => {
    const action = ACTIONS[k].action;
    return can(person, action, c, now).ok && transition(c.status, action, c.statusBeforeInfo).ok;
  });
}

const need = (v: string | undefined, what: string) => {
  const s = v?.trim();
  if (!s) throw new AppError('input.invalid', `Enter ${what}; nothing was changed.`);
  return s;
};

/** Runs one action for the signed-in person; the case service checks the right and the transition. */
export async function runCaseAction(t: TrackerContext, ctx: CaseContext, person: Person, c: CaseRecord, body: Record<string, string>): Promise<CaseRecord> {
  if (!isWebAction(body.action)) throw new AppError('input.invalid', 'Choose one of the actions on the page.');
  const me = asPersonId(person.id);
  const expected = (CASE_STATUSES as readonly string[]).includes(body.expectedStatus ?? '') ? { expectedStatus: body.expectedStatus as CaseStatus } : {};
  switch (body.action) {
    case 'acknowledge': return t.cases.acknowledge(c.id, me, expected);
    case 'update': return t.cases.addUpdate(c.id, me, need(body.text, 'the update'));
    case 'need_info': return t.cases.requestInfo(c.id, me, need(body.text, 'your question'));
    case 'resolve': return t.cases.resolve(c.id, me, body.text?.trim() ?? '', expected);
    case 'reassign': {
      const target = ctx.directory.byId.get(need(body.person, 'the person to reassign to'));
      if (!target) throw new AppError('input.invalid', 'Choose a person from the list.');
      return t.cases.reassign(c.id, me, asPersonId(target.id), body.text?.trim() ?? '');
    }
    case 'wrong_route': {
      const serviceId = body.serviceId && body.serviceId !== c.serviceId ? asServiceId(body.serviceId) : undefined;
      const wardId = body.wardId && body.wardId !== c.wardId ? asWardId(body.wardId) : undefined;
      if (!serviceId && !wardId) throw new AppError('input.invalid', 'Choose a different service or ward; nothing was changed.');
      return t.cases.reroute(c.id, me, { ...(serviceId ? { serviceId } : {}), ...(wardId ? { wardId } : {}) }, body.text?.trim() || 'Wrong route', { recordCorrection: true, ...expected });
    }
  }
}

function actionForm(t: { csrf: string; ref: string; status: string }, key: WebAction, fields: Html, primary = false): Html {
  return html`<form method="post" action="/cases/${t.ref}/actions" class="wl-action" novalidate>
    <input type="hidden" name="_csrf" value="${t.csrf}"><input type="hidden" name="action" value="${key}"><input type="hidden" name="expectedStatus" value="${t.status}">
    ${fields}
    <button type="submit" class="govuk-button${primary ? '' : ' govuk-button--secondary'}" data-module="govuk-button">${ACTIONS[key].label}</button>
  </form>`;
}

const textArea = (key: string, label: string) => html`<div class="govuk-form-group"><label class="govuk-label" for="${key}-text">${label}</label>
  <textarea class="govuk-textarea" id="${key}-text" name="text" rows="3"></textarea></div>`;

function actionForms(t: TrackerContext, ctx: CaseContext, person: Person, c: CaseRecord, csrf: string): Html {
  const keys = available(person, c, t.clock.now());
  if (!keys.length) return html`<p class="govuk-body">There is nothing for you to do on this case here.</p>`;
  const f = { csrf, ref: c.reference, status: c.status };
  const takers = ctx.directory.people.filter((p) => p.active && p.roles.some((r) => r === 'rm' || r === 'manager' || r === 'admin') && p.id !== c.assigneeId)
    .sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.id, p.name] as [string, string]);
  const forms: Record<WebAction, () => Html> = {
    acknowledge: () => actionForm(f, 'acknowledge', html``, true),
    update: () => actionForm(f, 'update', textArea('update', 'Update for the councillor')),
    need_info: () => actionForm(f, 'need_info', textArea('need-info', 'Your question for the councillor')),
    resolve: () => actionForm(f, 'resolve', textArea('resolve', 'What was done (optional)')),
    reassign: () => actionForm(f, 'reassign', html`${selectField('person', 'Reassign to', takers, undefined, { id: 'reassign-person' })}${textArea('reassign', 'Note (optional)')}`),
    wrong_route: () => actionForm(f, 'wrong_route', html`
      ${selectField('serviceId', 'Right service', ctx.index.catalogue.services.map((s) => [s.id, s.name] as [string, string]).sort((a, b) => a[1].localeCompare(b[1])), c.serviceId ?? '', { id: 'route-service' })}
      ${selectField('wardId', 'Right ward', ctx.index.catalogue.wards.map((w) => [w.id, w.name] as [string, string]).sort((a, b) => a[1].localeCompare(b[1])), c.wardId ?? '', { id: 'route-ward' })}`),
  };
  return html`${keys.map((k) => html`<details class="govuk-details"${k === 'acknowledge' ? html` open` : ''}><summary class="govuk-details__summary"><span class="govuk-details__summary-text">${ACTIONS[k].label}</span></summary>
    <div class="govuk-details__text">${forms[k]()}</div></details>`)}`;
}

const EVENT_WORDS: Record<string, string> = {
  opened: 'Opened', routed: 'Routed', unrouted: 'Sent to triage', acknowledged: 'Acknowledged', update: 'Update', info_requested: 'Asked for information',
  info_provided: 'Information given', resolved: 'Resolved', reopened: 'Reopened', reassigned: 'Reassigned', rerouted: 'Rerouted', closed: 'Closed',
  message_mirrored: 'Message', watcher_added: 'Follower added', escalated: 'Escalated', reminded: 'Reminder sent',
};

/** The case page: details, the actions the person may take, and the timeline. */
export async function casePage(t: TrackerContext, ctx: CaseContext, person: Person, c: CaseRecord, opts: { done: string | null; errors: string[]; csrf: string }): Promise<Html> {
  const described = mayDescribe(person, c, isRestricted(ctx, c.serviceId));
  const events = await caseRepoOn(t.db).listEvents(c.id);
  const done = opts.done && isWebAction(opts.done) ? html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="done-title" data-module="govuk-notification-banner">
    <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="done-title">Done</h2></div>
    <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${ACTIONS[opts.done].done}</p></div></div>` : html``;
  return html`${errorSummary(opts.errors)}${done}
    <span class="govuk-caption-l">${serviceName(ctx, c.serviceId)} in ${wardName(ctx, c.wardId)}</span>
    <h1 class="govuk-heading-l">${c.reference} ${statusTag(c.status)}</h1>
    ${summaryList([
      ['Summary', described ? c.summary : WITHHELD],
      ['Place', described ? c.location ?? '–' : '–'],
      ['Urgency', c.urgency === 'urgent' ? 'Urgent' : 'Normal'],
      ['Raised by', personName(ctx, c.raisedById)],
      ['With', personName(ctx, c.assigneeId)],
      ['Opened', when(c.createdAt, t.zone)],
      ['Acknowledge by', `${when(c.acknowledgeBy, t.zone)}${c.acknowledgedAt ? ` (acknowledged ${when(c.acknowledgedAt, t.zone)})` : ''}`],
      ['Respond by', `${when(c.respondBy, t.zone)}${c.respondedAt ? ` (responded ${when(c.respondedAt, t.zone)})` : ''}`],
    ])}
    ${described ? html`<h2 class="govuk-heading-m">What the councillor wrote</h2><p class="govuk-body wl-pre">${c.description}</p>` : ''}
    <h2 class="govuk-heading-m">Actions</h2>
    ${actionForms(t, ctx, person, c, opts.csrf)}
    <h2 class="govuk-heading-m">Timeline</h2>
    <ol class="govuk-list wl-timeline">${events.map((e) => html`<li><strong>${EVENT_WORDS[e.type] ?? e.type}</strong> by ${e.actorId ? personName(ctx, e.actorId) : 'wardline'}, ${when(e.at, t.zone)}${
      described && typeof e.data.text === 'string' && e.data.text ? html`<br><span class="wl-pre">${e.data.text}</span>` : ''}</li>`)}</ol>`;
}

