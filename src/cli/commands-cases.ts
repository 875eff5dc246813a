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

  program.command('case').description('Show one case with its timeline (`case WL-000123` or `case show WL-000123`)')
    .argument('<reference>', 'e.g. WL-000123').argument('[then]', 'the reference, after `show`')
    .option('--json', 'print JSON')
    .action((first: string, then: string | undefined, opts: { json?: boolean }) => withCore(async (core) => {
      const ref = first === 'show' && then ? then : first;
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

/** `wardline intake corrections`: what people corrected after intake, and what to add so it is understood next time. */
export function registerIntakeCommands(program: Command): void {
  const intake = program.command('intake').description('How well wardline understands messages');
  intake.command('corrections').description('List cases whose ward or service people corrected, with suggested alias and vocabulary additions')
    .option('--json', 'print JSON')
    .option('--since <date>', 'only corrections from this date (YYYY-MM-DD)')
    .option('--limit <n>', 'how many corrections', '200')
    .action((opts: { json?: boolean; since?: string; limit: string }) => withCore(async (core) => {
      const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined;
      if (since && Number.isNaN(since.getTime())) throw new AppError('input.invalid', `--since ${opts.since} is not a date; use YYYY-MM-DD.`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('input.invalid', `--limit ${opts.limit} is not a positive whole number.`);
      const { listCorrections } = await import('../db/corrections-repo.js');
      const { loadCatalogue } = await import('../db/catalogue-repo.js');
      const { suggestFromCorrections } = await import('../intake/correction-suggestions.js');
      const rows = await listCorrections(core.dbh.db, { limit, ...(since ? { since } : {}) });
      const suggestions = suggestFromCorrections(rows, await loadCatalogue(core.dbh.db));
      const zone = core.config.TZ_COUNCIL;
      if (opts.json) return printJson({ corrections: rows.map((r) => ({ ...r, at: formatLondonIso(r.at, zone) })), suggestions });
      if (!rows.length) return console.log('No corrections yet: nobody has changed a case\'s ward or service after intake.');
      const change = (from: string | null, to: string | null) => (from === to ? (to ?? '-') : `${from ?? '-'} → ${to ?? '-'}`);
      console.log(`${rows.length} correction${rows.length === 1 ? '' : 's'}:`);
      for (const r of rows) {
        const text = r.text.replace(/\s+/g, ' ');
        console.log(`${r.reference ?? '(no case)'}\t${formatLondonIso(r.at, zone)}\tservice ${change(r.originalServiceId, r.correctedServiceId)}\tward ${change(r.originalWardId, r.correctedWardId)}\t${r.by ?? ''}\t"${text.length > 120 ? `${text.slice(0, 119)}…` : text}"`);
      }
      const aliases = suggestions.filter((s) => s.kind === 'alias');
      const words = suggestions.filter((s) => s.kind === 'vocabulary');
      if (aliases.length) {
        console.log('\nSuggested area aliases (review, then add with `wardline aliases import FILE`, header alias,ward):');
        for (const a of aliases) console.log(`  ${a.csv}\t(${a.count}×)`);
      }
      if (words.length) {
        console.log('\nSuggested vocabulary (words councillors used for the corrected service; review before adding to the catalogue\'s vocabulary.json):');
        for (const w of words) console.log(`  ${w.serviceId}: "${w.phrase}"\t(${w.count}×)`);
      }
    }));
}
