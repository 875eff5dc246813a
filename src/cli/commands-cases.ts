import type { Command } from 'commander';
import type { CaseRecord } from '../cases/case-record.js';
import { parseReference } from '../cases/reference.js';
import { computeDueTimes, DEFAULT_SLA_POLICIES, formatLondonIso } from '../cases/sla.js';
import { loadDefaultCatalogue } from '../catalogue/default-catalogue.js';
import { createCaseStore } from '../db/case-store.js';
import { loadSlaPolicies } from '../db/sla-repo.js';
import { AppError } from '../shared/errors.js';
import { asServiceId } from '../shared/ids.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

function caseSummary(c: CaseRecord, zone: string) {
  return {
    reference: c.reference, status: c.status, service: c.serviceId, ward: c.wardId, urgent: c.urgency === 'urgent',
    topic: c.topic, summary: c.summary, assignee: c.assigneeId, openedAt: formatLondonIso(c.createdAt, zone),
    acknowledgeBy: c.acknowledgeBy && formatLondonIso(c.acknowledgeBy, zone), respondBy: c.respondBy && formatLondonIso(c.respondBy, zone),
  };
}

export function registerCaseCommands(program: Command): void {
  const cases = program.command('cases').description('Cases');
  cases.command('list').description('List the newest cases')
    .option('--json', 'print JSON')
    .option('--ward <id>', 'only this ward')
    .option('--service <id>', 'only this service')
    .option('--limit <n>', 'how many', '50')
    .action((opts: { json?: boolean; ward?: string; service?: string; limit: string }) => withCore(async (core) => {
      const list = await createCaseStore(core.dbh.db).read((repo) => repo.listCases({
        ...(opts.ward ? { wardIds: [opts.ward] } : {}), ...(opts.service ? { serviceIds: [opts.service] } : {}), limit: Number(opts.limit) || 50,
      }));
      const rows = list.map((c) => caseSummary(c, core.config.TZ_COUNCIL));
      if (opts.json) return printJson(rows);
      if (!rows.length) return console.log('No cases yet.');
      for (const r of rows) console.log(`${r.reference}\t${r.status}\t${r.service ?? '-'}\t${r.ward ?? '-'}\t${r.urgent ? 'URGENT\t' : ''}${r.summary}`);
    }));

  program.command('case').description('Show one case with its timeline').argument('<reference>', 'e.g. WL-000123')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }) => withCore(async (core) => {
      const seq = parseReference(ref);
      if (seq === null) throw new AppError('input.invalid', `"${ref}" is not a case reference; they look like WL-000123.`);
      const store = createCaseStore(core.dbh.db);
      const c = await store.read((repo) => repo.getCaseByReference(seq));
      if (!c) throw new AppError('case.not_found', `There is no case ${ref}.`);
      const events = await store.read((repo) => repo.listEvents(c.id));
      const zone = core.config.TZ_COUNCIL;
      const timeline = events.map((e) => ({ at: formatLondonIso(e.at, zone), type: e.type, from: e.fromStatus, to: e.toStatus, actor: e.actorId }));
      if (opts.json) return printJson({ ...caseSummary(c, zone), location: c.location, routing: c.routing, timeline });
      console.log(`${c.reference} — ${c.summary}\nstatus ${c.status} · ${c.serviceId ?? 'no service'} · ${c.wardId ?? 'no ward'}${c.urgency === 'urgent' ? ' · URGENT' : ''}`);
      for (const t of timeline) console.log(`  ${t.at}  ${t.type}${t.to && t.to !== t.from ? ` → ${t.to}` : ''}`);
    }));

  const sla = program.command('sla').description('Service level agreements in working time');
  sla.command('due').description('When a case opened at a time must be acknowledged and answered (JSON, Europe/London)')
    .requiredOption('--service <id>', 'service id')
    .option('--urgent', 'the urgent policy')
    .option('--at <iso>', 'when the case is opened (ISO 8601); default now')
    .action((opts: { service: string; urgent?: boolean; at?: string }) => withCore(async (core) => {
      const catalogue = loadDefaultCatalogue(core.config.WARDLINE_WARD_SET);
      if (!catalogue.services.some((s) => s.id === opts.service)) throw new AppError('catalogue.unknown_service', `There is no service "${opts.service}".`);
      const at = opts.at ? new Date(opts.at) : core.clock.now();
      if (Number.isNaN(at.getTime())) throw new AppError('input.invalid', `--at "${opts.at}" is not an ISO 8601 time such as 2026-12-24T16:00:00Z.`);
      const policies = [...DEFAULT_SLA_POLICIES, ...(await loadSlaPolicies(core.dbh.db))];
      const due = computeDueTimes(core.calendar, policies, { serviceId: asServiceId(opts.service), urgent: !!opts.urgent, openedAt: at });
      const zone = core.config.TZ_COUNCIL;
      printJson({
        service: opts.service, urgent: !!opts.urgent, openedAt: formatLondonIso(at, zone),
        acknowledgeBy: formatLondonIso(due.acknowledgeBy, zone), respondBy: formatLondonIso(due.respondBy, zone),
        resolveBy: due.resolveBy ? formatLondonIso(due.resolveBy, zone) : null,
      });
    }));
}
