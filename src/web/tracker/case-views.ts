import type { CaseContext } from '../../cases/case-service.js';
import { formatLondonIso } from '../../cases/sla.js';
import type { CaseStatus } from '../../shared/enums.js';
import { html, type Html } from './html.js';

export const STATUS_TEXT: Record<CaseStatus, string> = {
  new: 'New', routed: 'Routed', acknowledged: 'Acknowledged', in_progress: 'In progress', needs_info: 'Needs info',
  resolved: 'Resolved', reopened: 'Reopened', closed: 'Closed',
};
const STATUS_COLOUR: Record<CaseStatus, string> = {
  new: 'govuk-tag--light-blue', routed: 'govuk-tag--blue', acknowledged: 'govuk-tag--turquoise', in_progress: 'govuk-tag--purple',
  needs_info: 'govuk-tag--yellow', resolved: 'govuk-tag--green', reopened: 'govuk-tag--orange', closed: 'govuk-tag--grey',
};

export const statusTag = (s: string) => html`<strong class="govuk-tag ${STATUS_COLOUR[s as CaseStatus] ?? ''}">${STATUS_TEXT[s as CaseStatus] ?? s}</strong>`;
export const overdueTag = html`<strong class="govuk-tag govuk-tag--red">Overdue</strong>`;

export const when = (d: Date | null, zone: string) => (d ? formatLondonIso(d, zone).slice(0, 16).replace('T', ' ') : '–');

export const serviceName = (ctx: CaseContext, id: string | null) => (id ? ctx.index.service(id)?.name ?? id : 'Not yet known');
export const wardName = (ctx: CaseContext, id: string | null) => (id ? ctx.index.ward(id)?.name ?? id : 'Not yet known');
export const personName = (ctx: CaseContext, id: string | null) => (id ? ctx.directory.byId.get(id)?.name ?? 'Someone no longer listed' : '–');
export const isRestricted = (ctx: CaseContext, serviceId: string | null) => !!serviceId && !!ctx.index.service(serviceId)?.restricted;

export const WITHHELD = 'Restricted service: details are shown only to the people working on the case.';

export function summaryList(rows: [string, Html | string][]): Html {
  return html`<dl class="govuk-summary-list">${rows.map(([k, v]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`)}</dl>`;
}

export function selectField(name: string, label: string, options: [string, string][], selected: string | undefined, opts: { id?: string } = {}): Html {
  const id = opts.id ?? name;
  return html`<div class="govuk-form-group"><label class="govuk-label" for="${id}">${label}</label>
    <select class="govuk-select" id="${id}" name="${name}">${options.map(([v, l]) => html`<option value="${v}"${v === (selected ?? '') ? html` selected` : ''}>${l}</option>`)}</select></div>`;
}

/** Previous and next pages by cursor (keyset), in the GOV.UK pagination pattern. */
export function pagination(base: URLSearchParams, at: { prev: string | null; next: string | null }, path: string): Html {
  if (!at.prev && !at.next) return html``;
  const link = (key: 'after' | 'before', cursor: string) => { const q = new URLSearchParams(base); q.set(key, cursor); return `${path}?${q}`; };
  return html`<nav class="govuk-pagination" aria-label="Pages of results">
    ${at.prev ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${link('before', at.prev)}" rel="prev"><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>` : ''}
    ${at.next ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${link('after', at.next)}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>` : ''}
  </nav>`;
}
