import { formatLondonIso } from '../cases/sla.js';
import { loadConfig } from '../config.js';
import { loadCatalogue } from '../db/catalogue-repo.js';
import { listCorrections as readCorrections, type CorrectionRow } from '../db/corrections-repo.js';
import { suggestFromCorrections, type Suggestion } from '../intake/correction-suggestions.js';
import { AppError } from '../shared/errors.js';
import { parseDateTime } from '../shared/iso-dates.js';
import { withCore } from './context.js';
import { dateOption, positiveIntOption } from './option-values.js';
import { printJson } from './output.js';

/** `wardline intake corrections`: what people corrected after intake, and what to add so it is understood next time. */
export function listCorrections(opts: { json?: boolean; since?: string; limit: string }): Promise<void> {
  const zone = loadConfig().TZ_COUNCIL;
  // From midnight at the start of that day in council time.
  const since = opts.since === undefined ? undefined : startOfDay(dateOption('--since', opts.since), zone);
  const limit = positiveIntOption('--limit', opts.limit);
  return withCore(async (core) => {
    const rows = await readCorrections(core.dbh.db, { limit, ...(since ? { since } : {}) });
    const suggestions = suggestFromCorrections(rows, await loadCatalogue(core.dbh.db));
    if (opts.json) return printJson({ corrections: rows.map((r) => ({ ...r, at: formatLondonIso(r.at, zone) })), suggestions });
    printCorrections(rows, suggestions, zone);
  });
}

function startOfDay(date: string, zone: string): Date {
  const r = parseDateTime(`${date}T00:00`, zone);
  if (!r.ok) throw new AppError('input.invalid', `--since ${date} has no midnight in ${zone}.`);
  return r.value;
}

function printCorrections(rows: CorrectionRow[], suggestions: Suggestion[], zone: string): void {
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
}
