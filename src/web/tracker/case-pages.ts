import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canView, caseScopeOf, mayDescribe } from '../../cases/authorisation.js';
import type { CaseRecord } from '../../cases/case-record.js';
import type { CaseContext } from '../../cases/case-service.js';
import { parseReference } from '../../cases/reference.js';
import { caseRepoOn } from '../../db/case-store.js';
import type { CaseRow } from '../../db/dashboard-repo.js';
import { CASE_SORTS, listScopedCases, streamScopedCases, type CaseListFilter, type CaseSort } from '../../db/tracker-cases-repo.js';
import type { Person } from '../../directory/person.js';
import { CASE_STATUSES } from '../../shared/enums.js';
import { isAppError } from '../../shared/errors.js';
import { casePage, runCaseAction } from './case-page.js';
import {
  isRestricted, overdueTag, pagination, personName, selectField, serviceName, STATUS_TEXT, statusTag, wardName, when, WITHHELD,
} from './case-views.js';
import { sendCsv } from './csv.js';
import { html } from './html.js';
import { page } from './layout.js';
import type { TrackerContext } from './tracker.js';

const PAGE_SIZE = 25;
const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);

export function parseFilter(q: Record<string, unknown>): CaseListFilter {
  const sort = str(q.sort);
  return {
    status: str(q.status) ?? 'open', wardId: str(q.ward) || undefined, serviceId: str(q.service) || undefined,
    overdue: q.overdue === 'yes', q: str(q.q) || undefined, sort: (CASE_SORTS as readonly string[]).includes(sort ?? '') ? sort as CaseSort : 'newest',
  } as CaseListFilter;
}

function filterQuery(f: CaseListFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.wardId) q.set('ward', f.wardId);
  if (f.serviceId) q.set('service', f.serviceId);
  if (f.overdue) q.set('overdue', 'yes');
  if (f.q) q.set('q', f.q);
  if (f.sort && f.sort !== 'newest') q.set('sort', f.sort);
  return q;
}

/** One case as a table row; a restricted service's summary and place are withheld from those without rights. */
export function caseTableRow(ctx: CaseContext, zone: string, person: Person, r: CaseRow) {
  const described = mayDescribe(person, { ...r, watcherIds: [] } as never, isRestricted(ctx, r.serviceId)) || r.raisedById === person.id;
  const ref = `WL-${String(r.seq).padStart(6, '0')}`;
  return html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header"><a class="govuk-link" href="/cases/${ref}">${ref}</a></th>
    <td class="govuk-table__cell">${described ? r.summary : html`<span class="wl-withheld">${WITHHELD}</span>`}${described && r.location ? html`<br><span class="govuk-body-s">${r.location}</span>` : ''}</td>
    <td class="govuk-table__cell">${serviceName(ctx, r.serviceId)}</td>
    <td class="govuk-table__cell">${wardName(ctx, r.wardId)}</td>
    <td class="govuk-table__cell">${statusTag(r.status)} ${r.overdue ? overdueTag : ''}</td>
    <td class="govuk-table__cell">${when(r.respondBy, zone)}</td>
    <td class="govuk-table__cell">${personName(ctx, r.assigneeId)}</td>
  </tr>`;
}

export const CASE_TABLE_HEAD = html`<thead class="govuk-table__head"><tr class="govuk-table__row">
  <th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Summary</th>
  <th scope="col" class="govuk-table__header">Service</th><th scope="col" class="govuk-table__header">Ward</th>
  <th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Respond by</th>
  <th scope="col" class="govuk-table__header">With</th></tr></thead>`;

export function registerCasePages(app: FastifyInstance, t: TrackerContext): void {
  app.get('/cases', async (req, reply) => {
    const person = t.requirePerson(req, reply);
    if (!person) return reply;
    const ctx = await t.loadContext();
    const q = req.query as Record<string, unknown>;
    const f = parseFilter(q);
    const cursor = { ...(str(q.after) ? { after: str(q.after)! } : {}), ...(str(q.before) ? { before: str(q.before)! } : {}) };
    const { rows, total, totalIsAtLeast, next, prev } = await listScopedCases(t.db, caseScopeOf(person), f, { ...cursor, limit: PAGE_SIZE }, t.clock.now());
    const query = filterQuery(f);
    const wards = ctx.index.catalogue.wards.map((w) => [w.id, w.name] as [string, string]).sort((a, b) => a[1].localeCompare(b[1]));
    const services = ctx.index.catalogue.services.map((s) => [s.id, s.name] as [string, string]).sort((a, b) => a[1].localeCompare(b[1]));
    const body = html`
      <h1 class="govuk-heading-l">My cases</h1>
      <p class="govuk-body">${whose(person)}</p>
      <form method="get" action="/cases" class="wl-filters" role="search" aria-label="Filter cases">
        <div class="wl-filter-grid">
          ${selectField('status', 'Status', [['open', 'Open'], ['closed', 'Resolved or closed'], ['all', 'Any'], ...CASE_STATUSES.map((s) => [s, STATUS_TEXT[s]] as [string, string])], f.status)}
          ${selectField('ward', 'Ward', [['', 'Any ward'], ...wards], f.wardId)}
          ${selectField('service', 'Service', [['', 'Any service'], ...services], f.serviceId)}
          ${selectField('sort', 'Sort by', [['newest', 'Newest first'], ['oldest', 'Oldest first'], ['due', 'Response due soonest']], f.sort)}
          <div class="govuk-form-group"><label class="govuk-label" for="q">Reference or street</label>
            <input class="govuk-input" id="q" name="q" type="search" value="${f.q ?? ''}" autocomplete="off"></div>
          <div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id="overdue" name="overdue" type="checkbox" value="yes"${f.overdue ? html` checked` : ''}>
            <label class="govuk-label govuk-checkboxes__label" for="overdue">Overdue only</label></div></div></div>
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply filters</button>
      </form>
      <p class="govuk-body" aria-live="polite">${totalIsAtLeast ? `More than ${total.toLocaleString('en-GB')} cases` : `${total.toLocaleString('en-GB')} ${total === 1 ? 'case' : 'cases'}`}. <a class="govuk-link" href="/cases/export.csv?${query.toString()}">Download these cases as CSV</a></p>
      ${rows.length ? html`<div class="wl-table-scroll" tabindex="0" role="region" aria-label="Cases"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Cases</caption>${CASE_TABLE_HEAD}
        <tbody class="govuk-table__body">${rows.map((r) => caseTableRow(ctx, t.zone, person, r))}</tbody></table></div>`
        : html`<p class="govuk-body">No cases match.</p>`}
      ${pagination(query, { prev, next }, '/cases')}`;
    return reply.type('text/html; charset=utf-8').send(page('My cases', t.chrome(req, 'cases'), body).value);
  });

  app.get('/cases/export.csv', async (req, reply) => {
    const person = t.requirePerson(req, reply);
    if (!person) return reply;
    const ctx = await t.loadContext();
    const f = parseFilter(req.query as Record<string, unknown>);
    async function* batches() {
      for await (const rows of streamScopedCases(t.db, caseScopeOf(person!), f, t.clock.now(), t.csvBatchRows)) {
        yield rows.map((r) => {
          const described = mayDescribe(person!, { ...r, watcherIds: [] } as never, isRestricted(ctx, r.serviceId)) || r.raisedById === person!.id;
          return [`WL-${String(r.seq).padStart(6, '0')}`, r.status, r.overdue ? 'yes' : 'no', serviceName(ctx, r.serviceId), wardName(ctx, r.wardId),
            described ? r.summary : 'withheld (restricted service)', described ? r.location ?? '' : '', r.urgency, r.createdAt, r.acknowledgeBy, r.respondBy,
            r.acknowledgedAt, r.respondedAt, r.resolvedAt, personName(ctx, r.assigneeId)];
        });
      }
    }
    return sendCsv(reply, 'cases.csv', ['reference', 'status', 'overdue', 'service', 'ward', 'summary', 'location', 'urgency', 'opened', 'acknowledge_by', 'respond_by', 'acknowledged', 'responded', 'resolved', 'with'], batches());
  });

  async function loadVisible(req: FastifyRequest, reply: FastifyReply): Promise<{ person: Person; c: CaseRecord; ctx: CaseContext } | null> {
    const person = t.requirePerson(req, reply);
    if (!person) return null;
    const seq = parseReference((req.params as { ref: string }).ref);
    const c = seq ? await caseRepoOn(t.db).getCaseByReference(seq) : null;
    if (!c) { t.showError(reply, req, 404, 'Page not found', 'There is no case with that reference.'); return null; }
    const ctx = await t.loadContext();
    if (!canView(person, c, { restricted: isRestricted(ctx, c.serviceId) })) {
      t.showError(reply, req, 403, 'You cannot see this case', `${c.reference} is not among the cases your role lets you see. If you need it, ask its RM or a wardline administrator.`);
      return null;
    }
    return { person, c, ctx };
  }

  app.get('/cases/:ref', async (req, reply) => {
    const v = await loadVisible(req, reply);
    if (!v) return reply;
    const done = str((req.query as Record<string, unknown>).done);
    return reply.type('text/html; charset=utf-8').send(page(v.c.reference, t.chrome(req, 'cases'), await casePage(t, v.ctx, v.person, v.c, { done: done ?? null, errors: [], csrf: req.wl.session?.csrfToken ?? '' })).value);
  });

  app.post('/cases/:ref/actions', async (req, reply) => {
    const v = await loadVisible(req, reply);
    if (!v) return reply;
    const body = req.body as Record<string, string>;
    try {
      const updated = await runCaseAction(t, v.ctx, v.person, v.c, body);
      return reply.redirect(`/cases/${updated.reference}?done=${encodeURIComponent(body.action ?? '')}`, 303);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const fresh = (await caseRepoOn(t.db).getCase(v.c.id)) ?? v.c;
      const status = e.code === 'case.forbidden' ? 403 : e.code === 'case.conflict' || e.code === 'case.invalid_transition' ? 409 : 400;
      return reply.status(status).type('text/html; charset=utf-8')
        .send(page(`Error: ${v.c.reference}`, t.chrome(req, 'cases'), await casePage(t, v.ctx, v.person, fresh, { done: null, errors: [e.message], csrf: req.wl.session?.csrfToken ?? '' })).value);
    }
  });
}

function whose(p: Person): string {
  if (p.roles.includes('admin')) return 'Every case in the city.';
  const parts = ['cases you raised or follow'];
  if (p.roles.includes('rm')) parts.push('cases with you as RM, deputy or assignee');
  if (p.wardIds.length && p.roles.some((r) => r === 'councillor' || r === 'wac' || r === 'senior_officer')) parts.push(`cases in your ${p.wardIds.length === 1 ? 'ward' : `${p.wardIds.length} wards`}`);
  if (p.roles.includes('manager') && p.serviceIds.length) parts.push('cases in the services you manage');
  return `Showing ${parts.join(', ')}.`;
}
