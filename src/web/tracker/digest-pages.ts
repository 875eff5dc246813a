import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogueIndex } from '../../catalogue/catalogue.js';
import { loadWardWeekAggregates } from '../../db/digest-repo.js';
import { listSubscriptions } from '../../db/subscriptions-repo.js';
import { buildWardDigest, isoWeekOf, parseIsoWeek, previousWeeks, type DigestWeek, type WardDigest } from '../../digests/digest-model.js';
import { wardsForDigest } from '../../digests/subscriptions-csv.js';
import type { Person } from '../../directory/person.js';
import { formatHours } from '../../dashboards/dashboard-model.js';
import { summaryList, WITHHELD } from './case-views.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import type { TrackerContext } from './tracker.js';

/** Weeks listed for a ward, newest first. */
const WEEKS_LISTED = 26;

/**
 * The wards whose past digests a person may read: every ward for managers and admins (they see
 * any ward's cases that are not restricted); for councillors, WACs and senior officers their wards;
 * and the wards of the ward, cluster, district and city digests they subscribe to.
 */
export async function digestWardsFor(t: TrackerContext, person: Person, index: CatalogueIndex): Promise<string[]> {
  const all = index.catalogue.wards.map((w) => w.id);
  if (!person.active) return [];
  if (person.roles.some((r) => r === 'admin' || r === 'manager')) return all;
  const mine = new Set<string>(person.roles.some((r) => r === 'councillor' || r === 'wac' || r === 'senior_officer') ? person.wardIds : []);
  for (const s of await listSubscriptions(t.db, person.id)) {
    if (s.scope !== 'service') for (const w of wardsForDigest(index, s.scope, s.area)) mine.add(w);
  }
  return all.filter((w) => mine.has(w));
}

const cell = (v: string | number | Html) => html`<td class="govuk-table__cell">${v}</td>`;
function table(caption: string, head: string[], rows: (string | number | Html)[][]): Html {
  return html`<div class="wl-table-scroll" tabindex="0" role="region" aria-label="${caption}"><table class="govuk-table">
    <caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
    <tbody class="govuk-table__body">${rows.map((r) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${r[0]!}</th>${r.slice(1).map(cell)}</tr>`)}</tbody></table></div>`;
}

const hours = (h: number | null) => formatHours(h);

function digestBody(d: WardDigest, week: DigestWeek, zone: string, links: { prev: string; next: string | null }): Html {
  const day = (x: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' }).format(x);
  return html`
    <span class="govuk-caption-l">Weekly digest, ${d.week}</span><h1 class="govuk-heading-l">${d.ward.name}</h1>
    <p class="govuk-body">Monday ${day(week.start)} to Sunday ${day(new Date(week.end.getTime() - 1))}, as it was sent to the ward's subscribers.</p>
    ${summaryList([['New', String(d.counts.new)], ['Acknowledged', String(d.counts.acknowledged)], ['Resolved', String(d.counts.resolved)],
      ['Open at the end of the week', String(d.counts.open)], ['Overdue at the end of the week', String(d.counts.overdue)]])}
    <h2 class="govuk-heading-m">Trend</h2><p class="govuk-body">${d.trendNote}</p>
    ${table('New cases by week', ['Week', 'New cases'], d.trend.map((x) => [x.week, x.newCount]))}
    <h2 class="govuk-heading-m">Median times by service</h2>
    ${d.medians.length ? table('Median time to acknowledge and respond', ['Service', 'To acknowledge', 'To respond'], d.medians.map((m) => [m.service, hours(m.acknowledgeHours), hours(m.respondHours)]))
      : html`<p class="govuk-body">No case was acknowledged or answered this week.</p>`}
    <h2 class="govuk-heading-m">Top issues</h2>
    ${d.topIssues.length ? html`<ul class="govuk-list govuk-list--bullet">${d.topIssues.map((x) => html`<li>${x.topic} (${x.count})</li>`)}</ul>` : html`<p class="govuk-body">No topics recorded.</p>`}
    <h2 class="govuk-heading-m">Oldest open cases</h2>
    ${d.oldestOpen.length ? table('Oldest open cases at the end of the week', ['Reference', 'Service', 'Age', 'Status', 'Summary'], d.oldestOpen.map((c) => [
      html`<a class="govuk-link" href="/cases/${c.reference}">${c.reference}</a>`, c.service, `${c.ageDays} days`, c.status.replace('_', ' '),
      c.summary ?? html`<span class="wl-withheld">${WITHHELD}</span>`]))
      : html`<p class="govuk-body">No case was open at the end of the week.</p>`}
    <p class="govuk-body-s">Restricted services (such as housing and community safety) are counted here but their cases are not described.</p>
    <nav class="govuk-pagination" aria-label="Other weeks">
      <div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${links.prev}" rel="prev"><span class="govuk-pagination__link-title">Previous week</span></a></div>
      ${links.next ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${links.next}" rel="next"><span class="govuk-pagination__link-title">Next week</span></a></div>` : ''}
    </nav>`;
}

/** Past weekly ward digests: the wards a person may read, each ward's weeks, and each week's digest. */
export function registerDigestPages(app: FastifyInstance, t: TrackerContext): void {
  const send = (reply: FastifyReply, req: FastifyRequest, title: string, body: Html) =>
    reply.type('text/html; charset=utf-8').send(page(title, t.chrome(req, 'digests'), body).value);
  const lastWeek = () => isoWeekOf(new Date(t.clock.now().getTime() - 7 * 86_400_000), t.zone);

  app.get('/digests', async (req, reply) => {
    const person = t.requirePerson(req, reply);
    if (!person) return reply;
    const ctx = await t.loadContext();
    const wards = (await digestWardsFor(t, person, ctx.index)).map((id) => ctx.index.ward(id)!).sort((a, b) => a.name.localeCompare(b.name));
    return send(reply, req, 'Weekly digests', html`<h1 class="govuk-heading-l">Weekly digests</h1>
      <p class="govuk-body">Each ward's digest for every week, as its subscribers received it on the Monday after.</p>
      ${wards.length ? html`<ul class="govuk-list wl-columns">${wards.map((w) => html`<li><a class="govuk-link" href="/digests/wards/${w.id}">${w.name}</a></li>`)}</ul>`
        : html`<p class="govuk-body">There are no wards whose digests you can read. Ward digests are for the ward's councillors, WACs and senior officers, managers, administrators and their subscribers.</p>`}`);
  });

  const loadWard = async (req: FastifyRequest, reply: FastifyReply) => {
    const person = t.requirePerson(req, reply);
    if (!person) return null;
    const ctx = await t.loadContext();
    const ward = ctx.index.ward((req.params as { id: string }).id);
    if (!ward) { t.showError(reply, req, 404, 'Page not found', 'There is no such ward.'); return null; }
    if (!(await digestWardsFor(t, person, ctx.index)).includes(ward.id)) {
      t.showError(reply, req, 403, 'You cannot see this digest', `${ward.name}'s digest is for its councillors, WACs and senior officers, managers, administrators and its subscribers.`);
      return null;
    }
    return { ctx, ward };
  };

  app.get('/digests/wards/:id', async (req, reply) => {
    const r = await loadWard(req, reply);
    if (!r) return reply;
    const last = lastWeek();
    const weeks = [...previousWeeks(last, WEEKS_LISTED - 1, t.zone), last].reverse();
    return send(reply, req, `${r.ward.name} digests`, html`<span class="govuk-caption-l">Weekly digests</span><h1 class="govuk-heading-l">${r.ward.name}</h1>
      <p class="govuk-body">The last ${WEEKS_LISTED} weeks, newest first.</p>
      <ul class="govuk-list">${weeks.map((w) => html`<li><a class="govuk-link" href="/digests/wards/${r.ward.id}/${w.id}">Week ${w.id}</a></li>`)}</ul>`);
  });

  app.get('/digests/wards/:id/:week', async (req, reply) => {
    const r = await loadWard(req, reply);
    if (!r) return reply;
    const week = parseIsoWeek((req.params as { week: string }).week, t.zone);
    const last = lastWeek();
    if (week.start > last.start) return t.showError(reply, req, 404, 'This digest is not ready yet', `The digest for ${week.id} is made on the Monday after the week ends.`);
    const [agg] = await loadWardWeekAggregates(t.db, { wardIds: [r.ward.id], week, previous: previousWeeks(week, 4, t.zone) });
    const digest = buildWardDigest(agg!, r.ctx.index, week);
    const near = (days: number) => isoWeekOf(new Date(week.start.getTime() + days * 86_400_000), t.zone).id;
    const base = `/digests/wards/${r.ward.id}`;
    return send(reply, req, `${r.ward.name}, ${week.id}`, digestBody(digest, week, t.zone, {
      prev: `${base}/${near(-3)}`, next: week.start < last.start ? `${base}/${near(10)}` : null,
    }));
  });
}
