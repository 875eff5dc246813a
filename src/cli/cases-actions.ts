import type { CaseRecord } from '../cases/case-record.js';
import { parseReference } from '../cases/reference.js';
import { computeDueTimes, DEFAULT_SLA_POLICIES, formatLondonIso } from '../cases/sla.js';
import { loadConfig } from '../config.js';
import { loadDefaultCatalogue } from '../catalogue/default-catalogue.js';
import { createCaseStore } from '../db/case-store.js';
import { loadSlaPolicies } from '../db/sla-repo.js';
import { AppError } from '../shared/errors.js';
import { asServiceId } from '../shared/ids.js';
import { withCore } from './context.js';
import { dateTimeOption, positiveIntOption } from './option-values.js';
import { printJson } from './output.js';

function caseSummary(c: CaseRecord, zone: string) {
  return {
    reference: c.reference, status: c.status, service: c.serviceId, ward: c.wardId, urgent: c.urgency === 'urgent',
    topic: c.topic, summary: c.summary, assignee: c.assigneeId, openedAt: formatLondonIso(c.createdAt, zone),
    acknowledgeBy: c.acknowledgeBy && formatLondonIso(c.acknowledgeBy, zone), respondBy: c.respondBy && formatLondonIso(c.respondBy, zone),
  };
}

/** `wardline cases list`. */
export function listCases(opts: { json?: boolean; ward?: string; service?: string; limit: string }): Promise<void> {
  const limit = positiveIntOption('--limit', opts.limit);
  return withCore(async (core) => {
    const list = await createCaseStore(core.dbh.db).read((repo) => repo.listCases({
      ...(opts.ward ? { wardIds: [opts.ward] } : {}), ...(opts.service ? { serviceIds: [opts.service] } : {}), limit,
    }));
    const rows = list.map((c) => caseSummary(c, core.config.TZ_COUNCIL));
    if (opts.json) return printJson(rows);
    if (!rows.length) return console.log('No cases yet.');
    for (const r of rows) console.log(`${r.reference}\t${r.status}\t${r.service ?? '-'}\t${r.ward ?? '-'}\t${r.urgent ? 'URGENT\t' : ''}${r.summary}`);
  });
}

/** `wardline case WL-000123` (or `case show WL-000123`). */
export function showCase(first: string, then: string | undefined, opts: { json?: boolean }): Promise<void> {
  const ref = first === 'show' && then ? then : first;
  const seq = parseReference(ref);
  if (seq === null) throw new AppError('input.invalid', `"${ref}" is not a case reference; they look like WL-000123.`);
  return withCore(async (core) => {
    const store = createCaseStore(core.dbh.db);
    const c = await store.read((repo) => repo.getCaseByReference(seq));
    if (!c) throw new AppError('case.not_found', `There is no case ${ref}.`);
    const events = await store.read((repo) => repo.listEvents(c.id));
    const zone = core.config.TZ_COUNCIL;
    const timeline = events.map((e) => ({ at: formatLondonIso(e.at, zone), type: e.type, from: e.fromStatus, to: e.toStatus, actor: e.actorId }));
    if (opts.json) return printJson({ ...caseSummary(c, zone), location: c.location, routing: c.routing, timeline });
    console.log(`${c.reference} — ${c.summary}\nstatus ${c.status} · ${c.serviceId ?? 'no service'} · ${c.wardId ?? 'no ward'}${c.urgency === 'urgent' ? ' · URGENT' : ''}`);
    for (const t of timeline) console.log(`  ${t.at}  ${t.type}${t.to && t.to !== t.from ? ` → ${t.to}` : ''}`);
  });
}

/** `wardline sla due`: acknowledge-by and respond-by for a case opened at a time, as JSON. */
export function slaDue(opts: { service: string; urgent?: boolean; at?: string }): Promise<void> {
  const zone = loadConfig().TZ_COUNCIL;
  const openedAt = opts.at === undefined ? undefined : dateTimeOption('--at', opts.at, zone);
  return withCore(async (core) => {
    const at = openedAt ?? core.clock.now();
    const catalogue = loadDefaultCatalogue(core.config.WARDLINE_WARD_SET);
    if (!catalogue.services.some((s) => s.id === opts.service)) throw new AppError('catalogue.unknown_service', `There is no service "${opts.service}".`);
    const policies = [...DEFAULT_SLA_POLICIES, ...(await loadSlaPolicies(core.dbh.db))];
    const due = computeDueTimes(core.calendar, policies, { serviceId: asServiceId(opts.service), urgent: !!opts.urgent, openedAt: at });
    printJson({
      service: opts.service, urgent: !!opts.urgent, openedAt: formatLondonIso(at, zone),
      acknowledgeBy: formatLondonIso(due.acknowledgeBy, zone), respondBy: formatLondonIso(due.respondBy, zone),
      resolveBy: due.resolveBy ? formatLondonIso(due.resolveBy, zone) : null,
    });
  });
}
