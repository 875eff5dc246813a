import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseContext } from '../../cases/case-service.js';
import { loadAreaFigures, loadOverdueCases, loadServiceScorecard, type AreaFigures, type DashboardArea } from '../../db/dashboard-repo.js';
import { fillWeeks, formatHours, percent, perWardAverage, round1, yearRange, type TrackerYear } from '../../dashboards/dashboard-model.js';
import { MEDIAN_RESOLUTION_TEXT } from '../../dashboards/duration-histogram.js';
import type { Person } from '../../directory/person.js';
import { CASE_TABLE_HEAD, caseTableRow } from './case-pages.js';
import { comparisonChart, openCasesChart, ratesChart, topicsChart, topicWardsChart, trendChart } from './dashboard-charts.js';
import { personName } from './case-views.js';
import { once, sendCsv } from './csv.js';
import { createStatsRunner } from './dashboard-stats-runner.js';
import type { DashboardStatsState } from '../../db/dashboard-stats-build.js';
import { loadTopicByWard, type TopicWardRow } from '../../db/dashboard-topic.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import type { TrackerContext } from './tracker.js';

interface AreaSpec { kind: 'wards' | 'clusters' | 'districts' | 'themes'; id: string; name: string; area: DashboardArea; wardCount: number }

function findArea(ctx: CaseContext, kind: string, id: string): AreaSpec | null {
  const cat = ctx.index.catalogue;
  if (kind === 'wards') { const w = ctx.index.ward(id); return w ? { kind, id, name: w.name, area: { wardIds: [w.id] }, wardCount: 1 } : null; }
  if (kind === 'clusters') { const c = cat.clusters.find((x) => x.id === id); return c ? { kind, id, name: c.name, area: { wardIds: c.wardIds }, wardCount: c.wardIds.length } : null; }
  if (kind === 'districts') { const d = cat.districts.find((x) => x.id === id); return d ? { kind, id, name: `${d.name} district`, area: { wardIds: d.wardIds }, wardCount: d.wardIds.length } : null; }
  if (kind === 'themes' && /^[\w -]{1,60}$/.test(id)) return { kind, id, name: `Theme: ${id}`, area: { topic: id }, wardCount: cat.wards.length };
  return null;
}

const table = (caption: string, head: string[], rows: (string | number | Html)[][], csvHref?: string) => html`
  <div class="wl-table-scroll" tabindex="0" role="region" aria-label="${caption}"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
  <tbody class="govuk-table__body">${rows.map((r) => html`<tr class="govuk-table__row">${r.map((c, i) => (i === 0 ? html`<th scope="row" class="govuk-table__header">${c}</th>` : html`<td class="govuk-table__cell">${c}</td>`))}</tr>`)}</tbody></table></div>
  ${csvHref ? html`<p class="govuk-body"><a class="govuk-link" href="${csvHref}">Download “${caption}” as CSV</a></p>` : ''}`;

function yearOf(req: FastifyRequest, t: TrackerContext): TrackerYear {
  const now = t.clock.now();
  const thisYear = Number(new Intl.DateTimeFormat('en-GB', { timeZone: t.zone, year: 'numeric' }).format(now));
  const asked = Number((req.query as Record<string, unknown>).year);
  return yearRange(Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear, t.zone);
}

/** City figures change slowly and cost a scan: computed at most once every five minutes per year. */
function createCityCache(t: TrackerContext) {
  const cache = new Map<number, { at: number; figures: Promise<AreaFigures> }>();
  return (y: TrackerYear) => {
    const hit = cache.get(y.year);
    if (hit && performance.now() - hit.at < 300_000) return hit.figures;
    const figures = loadAreaFigures(t.db, {}, { from: y.from, to: y.to, now: t.clock.now(), zone: t.zone });
    cache.set(y.year, { at: performance.now(), figures });
    figures.catch(() => cache.delete(y.year));
    return figures;
  };
}

/** A theme ward by ward: chart of the busiest, a table of every ward with a link to its dashboard, CSV. */
function topicWardsBody(spec: AreaSpec, y: TrackerYear, rows: readonly (TopicWardRow & { name: string })[]): Html {
  const base = `/themes/${encodeURIComponent(spec.id)}`;
  return html`<h2 class="govuk-heading-m">By ward</h2>
    ${rows.length ? html`${topicWardsChart(spec.id, y.year, rows)}
      ${table(`${spec.id} by ward`, ['Ward', 'New this year', 'Open now'], rows.map((r) => [html`<a class="govuk-link" href="/wards/${encodeURIComponent(r.wardId)}">${r.name}</a>`, r.newCount, r.openCount]), `${base}/wards.csv?year=${y.year}`)}`
      : html`<p class="govuk-body">No ward has a case of this topic this year.</p>`}
    <p class="govuk-body-s">Cases of restricted services (such as housing and community safety) are not in this table.</p>`;
}

function areaBody(t: TrackerContext, spec: AreaSpec, y: TrackerYear, f: AreaFigures, city: AreaFigures, wards: number): Html {
  const weeks = fillWeeks(f.weeks, y, t.clock.now(), t.zone);
  const base = `/${spec.kind}/${encodeURIComponent(spec.id)}`;
  const per = (n: number) => perWardAverage(n, wards / spec.wardCount);
  const cmp = [
    { label: 'New', area: f.newCount, city: per(city.newCount) }, { label: 'Open', area: f.openCount, city: per(city.openCount) },
    { label: 'Overdue', area: f.overdueCount, city: per(city.overdueCount) }, { label: 'Resolved', area: f.resolvedCount, city: per(city.resolvedCount) },
  ];
  const cmpLabel = spec.kind === 'themes' ? 'City total' : spec.wardCount === 1 ? 'City average per ward' : `City average per ${spec.wardCount} wards`;
  return html`
    <span class="govuk-caption-l">${y.year}</span><h1 class="govuk-heading-l">${spec.name}</h1>
    <form method="get" action="${base}" class="wl-inline-form"><div class="govuk-form-group"><label class="govuk-label" for="year">Year</label>
      <input class="govuk-input govuk-input--width-4" id="year" name="year" inputmode="numeric" value="${y.year}"></div>
      <button class="govuk-button govuk-button--secondary" data-module="govuk-button">Show year</button></form>
    <div class="wl-cards">
      ${[['New this year', f.newCount], ['Open now', f.openCount], ['Overdue now', f.overdueCount], ['Resolved this year', f.resolvedCount],
        ['Median time to acknowledge', formatHours(f.medianAcknowledgeHours)], ['Median time to respond', formatHours(f.medianRespondHours)]]
        .map(([k, v]) => html`<div class="wl-card"><p class="govuk-body-s">${k}</p><p class="govuk-heading-m">${v}</p></div>`)}
    </div>
    <p class="govuk-body-s">${MEDIAN_RESOLUTION_TEXT}</p>
    <h2 class="govuk-heading-m">Trend by week</h2>
    ${trendChart(spec.name, y.year, weeks)}
    <details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The trend as a table</span></summary><div class="govuk-details__text">
    ${table('Cases by week', ['Week starting', 'New', 'Resolved'], weeks.map((w) => [w.weekStart, w.newCount, w.resolvedCount]), `${base}/weeks.csv?year=${y.year}`)}</div></details>
    <h2 class="govuk-heading-m">Against the city</h2>
    ${comparisonChart(spec.name, y.year, cmpLabel, cmp)}
    ${table('This area against the city', ['Figure', 'This area', cmpLabel], [...cmp.map((r) => [r.label, r.area, r.city]),
      ['Median hours to acknowledge', round1(f.medianAcknowledgeHours) ?? '–', round1(city.medianAcknowledgeHours) ?? '–'],
      ['Median hours to respond', round1(f.medianRespondHours) ?? '–', round1(city.medianRespondHours) ?? '–']], `${base}/comparison.csv?year=${y.year}`)}
    <h2 class="govuk-heading-m">Top topics</h2>
    ${f.topTopics.length ? html`${topicsChart(spec.name, y.year, f.topTopics)}${table('Top topics', ['Topic', 'Cases'], f.topTopics.map((x) => [spec.kind === 'themes' ? x.topic : html`<a class="govuk-link" href="/themes/${encodeURIComponent(x.topic)}">${x.topic}</a>`, x.count]), `${base}/topics.csv?year=${y.year}`)}`
      : html`<p class="govuk-body">No topics recorded.</p>`}
    <p class="govuk-body-s">Restricted services (such as housing and community safety) are counted here but their topics are not shown.</p>`;
}

/** While the rollup is being built (after an upgrade), a page that says so rather than one that waits minutes. */
function preparingBody(name: string, state: Exclude<DashboardStatsState, { kind: 'ready' }>, href: string): Html {
  const progress = state.kind === 'building' && state.total > 0
    ? ` ${Math.min(99, Math.floor((100 * state.done) / state.total))}% done (${state.done.toLocaleString('en-GB')} of ${state.total.toLocaleString('en-GB')} cases).` : '';
  return html`<h1 class="govuk-heading-l">${name}</h1>
    <div class="govuk-inset-text"><h2 class="govuk-heading-m">Figures are being prepared</h2>
    <p class="govuk-body">The dashboards' figures are being worked out from every case, as after an upgrade.${progress}
    Cases can be opened and worked as usual meanwhile.</p></div>
    <p class="govuk-body"><a class="govuk-link" href="${href}">Refresh this page</a> in a minute or two to see the figures.</p>`;
}

export function registerDashboardPages(app: FastifyInstance, t: TrackerContext): void {
  const city = createCityCache(t);
  const send = (reply: FastifyReply, title: string, req: FastifyRequest, current: 'wards' | 'services' | 'themes', body: Html) =>
    reply.type('text/html; charset=utf-8').send(page(title, t.chrome(req, current), body).value);
  const runner = createStatsRunner({ db: t.db, zone: t.zone, logger: t.logger, batchCases: t.statsBatchCases });
  app.addHook('onReady', async () => runner.start());
  app.addHook('onClose', () => runner.stop());
  /** Sends the "being prepared" page and returns true unless the figures are ready (a small build is waited for). */
  const preparing = async (req: FastifyRequest, reply: FastifyReply, name: string, current: 'wards' | 'services' | 'themes') => {
    const state = await runner.ready(t.statsWaitMs ?? 1500);
    if (state.kind === 'ready') return false;
    send(reply, name, req, current, preparingBody(name, state, req.url));
    return true;
  };

  app.get('/wards', async (req, reply) => {
    if (!t.requirePerson(req, reply)) return reply;
    const cat = (await t.loadContext()).index.catalogue;
    const links = (kind: string, items: { id: string; name: string }[]) => html`<ul class="govuk-list wl-columns">${[...items].sort((a, b) => a.name.localeCompare(b.name)).map((i) => html`<li><a class="govuk-link" href="/${kind}/${encodeURIComponent(i.id)}">${i.name}</a></li>`)}</ul>`;
    return send(reply, 'Wards', req, 'wards', html`<h1 class="govuk-heading-l">Ward dashboards</h1>
      ${cat.clusters.length ? html`<h2 class="govuk-heading-m">Clusters</h2>${links('clusters', cat.clusters)}` : ''}
      ${cat.districts.length ? html`<h2 class="govuk-heading-m">Districts</h2>${links('districts', cat.districts)}` : ''}
      <h2 class="govuk-heading-m">Wards</h2>${links('wards', cat.wards)}`);
  });

  app.get('/themes', async (req, reply) => {
    if (!t.requirePerson(req, reply) || await preparing(req, reply, 'Themes across the city', 'themes')) return reply;
    const f = await city(yearOf(req, t));
    return send(reply, 'Themes', req, 'themes', html`<h1 class="govuk-heading-l">Themes across the city</h1>
      <p class="govuk-body">One topic across every ward. The most common this year:</p>
      <ul class="govuk-list">${f.topTopics.map((x) => html`<li><a class="govuk-link" href="/themes/${encodeURIComponent(x.topic)}">${x.topic}</a> (${x.count})</li>`)}</ul>`);
  });

  const topicWards = async (topic: string, y: TrackerYear) => {
    const ctx = await t.loadContext();
    const rows = await loadTopicByWard(t.db, topic, { from: y.from, to: y.to, now: t.clock.now(), zone: t.zone });
    return rows.map((x) => ({ ...x, name: ctx.index.ward(x.wardId)?.name ?? x.wardId }));
  };

  for (const kind of ['wards', 'clusters', 'districts', 'themes'] as const) {
    const resolve = async (req: FastifyRequest, reply: FastifyReply, page = false) => {
      if (!t.requirePerson(req, reply)) return null;
      const ctx = await t.loadContext();
      const spec = findArea(ctx, kind, (req.params as { id: string }).id);
      if (!spec) { t.showError(reply, req, 404, 'Page not found', 'There is no such area.'); return null; }
      if (page && await preparing(req, reply, spec.name, kind === 'themes' ? 'themes' : 'wards')) return null;
      const y = yearOf(req, t);
      const [f, c] = await Promise.all([loadAreaFigures(t.db, spec.area, { from: y.from, to: y.to, now: t.clock.now(), zone: t.zone }), city(y)]);
      return { spec, y, f, c, wards: ctx.index.catalogue.wards.length };
    };
    app.get(`/${kind}/:id`, async (req, reply) => {
      const r = await resolve(req, reply, true);
      if (!r) return reply;
      const byWard = kind === 'themes' ? topicWardsBody(r.spec, r.y, await topicWards(r.spec.id, r.y)) : '';
      return send(reply, r.spec.name, req, kind === 'themes' ? 'themes' : 'wards', html`${areaBody(t, r.spec, r.y, r.f, r.c, r.wards)}${byWard}`);
    });
    app.get(`/${kind}/:id/:table`, async (req, reply) => {
      const r = await resolve(req, reply);
      if (!r) return reply;
      const which = (req.params as { table: string }).table;
      const name = `${r.spec.id}-${r.y.year}`;
      if (which === 'weeks.csv') return sendCsv(reply, `${name}-weeks.csv`, ['week_start', 'new', 'resolved'], once(fillWeeks(r.f.weeks, r.y, t.clock.now(), t.zone).map((w) => [w.weekStart, w.newCount, w.resolvedCount])));
      if (which === 'wards.csv' && kind === 'themes') {
        const rows = await topicWards(r.spec.id, r.y);
        return sendCsv(reply, `${name}-wards.csv`, ['ward_id', 'ward', 'new', 'open_now'], once(rows.map((x) => [x.wardId, x.name, x.newCount, x.openCount])));
      }
      if (which === 'topics.csv') return sendCsv(reply, `${name}-topics.csv`, ['topic', 'cases'], once(r.f.topTopics.map((x) => [x.topic, x.count])));
      if (which === 'comparison.csv') {
        const per = (n: number) => perWardAverage(n, r.wards / r.spec.wardCount);
        return sendCsv(reply, `${name}-comparison.csv`, ['figure', 'area', 'city_comparison'], once([
          ['new', r.f.newCount, per(r.c.newCount)], ['open', r.f.openCount, per(r.c.openCount)], ['overdue', r.f.overdueCount, per(r.c.overdueCount)],
          ['resolved', r.f.resolvedCount, per(r.c.resolvedCount)], ['median_hours_acknowledge', round1(r.f.medianAcknowledgeHours), round1(r.c.medianAcknowledgeHours)],
          ['median_hours_respond', round1(r.f.medianRespondHours), round1(r.c.medianRespondHours)]]));
      }
      return t.showError(reply, req, 404, 'Page not found', 'There is no such table.');
    });
  }
  registerServicePages(app, t, send, preparing);
}

const mayScore = (p: Person, serviceId: string) => p.roles.includes('admin') || (p.roles.includes('manager') && p.serviceIds.includes(serviceId as never));

type Send = (reply: FastifyReply, title: string, req: FastifyRequest, current: 'services', body: Html) => FastifyReply;
type Preparing = (req: FastifyRequest, reply: FastifyReply, name: string, current: 'services') => Promise<boolean>;

function registerServicePages(app: FastifyInstance, t: TrackerContext, send: Send, preparing: Preparing): void {
  app.get('/services', async (req, reply) => {
    const person = t.requirePerson(req, reply);
    if (!person) return reply;
    const services = (await t.loadContext()).index.catalogue.services.filter((s) => mayScore(person, s.id)).sort((a, b) => a.name.localeCompare(b.name));
    return send(reply, 'Services', req, 'services', html`<h1 class="govuk-heading-l">Service scorecards</h1>
      ${services.length ? html`<ul class="govuk-list">${services.map((s) => html`<li><a class="govuk-link" href="/services/${s.id}">${s.name}</a></li>`)}</ul>`
        : html`<p class="govuk-body">Scorecards are for the managers of each service and for administrators.</p>`}`);
  });

  const load = async (req: FastifyRequest, reply: FastifyReply, page = false) => {
    const person = t.requirePerson(req, reply);
    if (!person) return null;
    const ctx = await t.loadContext();
    const service = ctx.index.service((req.params as { id: string }).id);
    if (!service) { t.showError(reply, req, 404, 'Page not found', 'There is no such service.'); return null; }
    if (!mayScore(person, service.id)) { t.showError(reply, req, 403, 'You cannot see this scorecard', 'Service scorecards are for the service\'s managers and for administrators.'); return null; }
    if (page && await preparing(req, reply, `${service.name}: scorecard`, 'services')) return null;
    const y = yearOf(req, t);
    const now = t.clock.now();
    const [scores, overdue] = await Promise.all([
      loadServiceScorecard(t.db, service.id, { from: y.from, to: y.to, now, zone: t.zone }), loadOverdueCases(t.db, { serviceIds: [service.id] }, now),
    ]);
    const rows = scores.map((s) => [personName(ctx, s.personId), s.cases, pct(percent(s.acknowledgedOnTime, s.acknowledgeDue)), pct(percent(s.respondedOnTime, s.respondDue)),
      formatHours(s.medianAcknowledgeHours), formatHours(s.medianRespondHours), s.open, s.overdue]);
    return { person, ctx, service, y, scores, overdue, rows };
  };
  const HEAD = ['Officer', 'Cases', 'Acknowledged on time', 'Responded on time', 'Median to acknowledge', 'Median to respond', 'Open', 'Overdue'];

  app.get('/services/:id', async (req, reply) => {
    const r = await load(req, reply, true);
    if (!r) return reply;
    const base = `/services/${r.service.id}`;
    const officers = r.scores.map((sc) => ({ name: personName(r.ctx, sc.personId), acknowledged: percent(sc.acknowledgedOnTime, sc.acknowledgeDue),
      responded: percent(sc.respondedOnTime, sc.respondDue), open: sc.open, overdue: sc.overdue }));
    return send(reply, r.service.name, req, 'services', html`
      <span class="govuk-caption-l">${r.y.year}</span><h1 class="govuk-heading-l">${r.service.name}: scorecard</h1>
      <h2 class="govuk-heading-m">On time, by officer</h2>
      ${ratesChart(r.service.name, r.y.year, officers)}
      ${table('Scorecard by officer', HEAD, r.rows, `${base}/scorecard.csv?year=${r.y.year}`)}
      <p class="govuk-body-s">${MEDIAN_RESOLUTION_TEXT}</p>
      <h2 class="govuk-heading-m">Open cases by officer</h2>
      ${openCasesChart(r.service.name, r.y.year, officers)}
      <h2 class="govuk-heading-m">Overdue now (${r.overdue.length}${r.overdue.length === 50 ? '+' : ''})</h2>
      ${r.overdue.length ? html`<div class="wl-table-scroll" tabindex="0" role="region" aria-label="Overdue cases"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">Overdue cases, longest overdue first</caption>${CASE_TABLE_HEAD}
        <tbody class="govuk-table__body">${r.overdue.map((c) => caseTableRow(r.ctx, t.zone, r.person, c))}</tbody></table></div>
        <p class="govuk-body"><a class="govuk-link" href="/cases/export.csv?status=open&amp;overdue=yes&amp;service=${r.service.id}">Download every overdue case as CSV</a></p>`
        : html`<p class="govuk-body">Nothing is overdue.</p>`}`);
  });

  app.get('/services/:id/scorecard.csv', async (req, reply) => {
    const r = await load(req, reply);
    if (!r) return reply;
    return sendCsv(reply, `${r.service.id}-${r.y.year}-scorecard.csv`, ['officer', 'cases', 'acknowledged_on_time_pct', 'responded_on_time_pct', 'median_acknowledge', 'median_respond', 'open', 'overdue'], once(r.rows));
  });
}

const pct = (n: number | null) => (n === null ? '–' : `${n}%`);
