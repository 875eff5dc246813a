import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { formatLondonIso } from '../cases/sla.js';
import { recordAudit } from '../db/audit-repo.js';
import { setServiceRetention } from '../db/catalogue-repo.js';
import { loadRetentionPolicy } from '../main-retention.js';
import { runRetention } from '../privacy/retention.js';
import { eraseSubject, exportSubject, renderSubjectHtml, subjectMatch, type Subject } from '../privacy/subject-access.js';
import { AppError } from '../shared/errors.js';
import { cliActor } from './audit-cli.js';
import { withCore } from './context.js';
import { printJson } from './output.js';

/** The actions of `wardline retention run` and `wardline subject …`, loaded when one runs. */

type SubjectOpts = Subject & { actor?: string };

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const runRetentionNow = (opts: { dryRun?: boolean; json?: boolean; actor?: string }) => withCore(async (core) => {
  const r = await runRetention({ db: core.dbh.db, clock: core.clock, policy: await loadRetentionPolicy(core.config, core.dbh.db) }, { dryRun: !!opts.dryRun, actor: cliActor(opts.actor) });
  if (opts.json) return printJson(r);
  const zone = core.config.TZ_COUNCIL;
  for (const c of r.cases) console.log(`${c.reference}\t${c.serviceId ?? '-'}\tfinished ${formatLondonIso(c.finishedAt, zone)}\t${c.months} months`);
  console.log(r.dryRun
    ? `${r.cases.length} case${r.cases.length === 1 ? '' : 's'} would have their text removed (nothing changed; run without --dry-run to do it).`
    : `Removed the text of ${r.cases.length} case${r.cases.length === 1 ? '' : 's'}; ward, service, dates and statuses are kept.`);
});

export const exportSubjectBundle = (opts: SubjectOpts & { out: string }) => withCore(async (core) => {
  subjectMatch(opts);
  const bundle = await exportSubject(core.dbh.db, opts, { actor: cliActor(opts.actor), at: core.clock.now() });
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, 'subject-access.json'), `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(join(opts.out, 'subject-access.html'), renderSubjectHtml(bundle), { mode: 0o600 });
  console.log(`Found ${bundle.cases.length} case${bundle.cases.length === 1 ? '' : 's'} and ${bundle.messages.length} message${bundle.messages.length === 1 ? '' : 's'}; wrote ${join(opts.out, 'subject-access.json')} and subject-access.html.`);
});

export const eraseSubjectDetails = (opts: SubjectOpts & { yes?: boolean }) => withCore(async (core) => {
  const m = subjectMatch(opts);
  if (!opts.yes && !(await confirm(`Remove every mention of this ${m.kind} from wardline's cases and messages? This cannot be undone. [y/N] `))) {
    throw new AppError('input.invalid', 'Nothing was removed: confirm at the prompt, or pass --yes.');
  }
  const r = await eraseSubject(core.dbh.db, opts, { actor: cliActor(opts.actor), at: core.clock.now() });
  console.log(`Removed the person's details from ${r.cases} case${r.cases === 1 ? '' : 's'} and ${r.messages} message${r.messages === 1 ? '' : 's'}; the audit log records that it was done.`);
});

/** `wardline services retention SERVICE [MONTHS] [--clear]`: a retention setting, recorded in the audit log with who changed it. */
export const setServiceRetentionMonths = (service: string, months: string | undefined, opts: { clear?: boolean; actor?: string }) => {
  if (opts.clear === (months !== undefined)) throw new AppError('input.invalid', 'Give the months (e.g. `wardline services retention street-cleaning 12`) or --clear, not both.');
  const value = opts.clear ? null : Number(months);
  if (value !== null && !(/^\d{1,4}$/.test(months!) && value >= 1 && value <= 1200)) throw new AppError('input.invalid', `${months} is not a number of months from 1 to 1200.`);
  return withCore(async (core) => {
    const before = await core.dbh.db.transaction(async (tx) => {
      const was = await setServiceRetention(tx, service, value);
      if (!was) throw new AppError('input.invalid', `Unknown service "${service}": \`wardline routes export\` lists the service ids in use.`);
      await recordAudit(tx, { actor: cliActor(opts.actor), action: 'retention.service_set', detail: { service, months: value, before: was.before } }, core.clock.now());
      return was.before;
    });
    const fallback = `RETENTION_MONTHS (${core.config.RETENTION_MONTHS}) or RETENTION_MONTHS_BY_SERVICE`;
    console.log(`${service}: case text is kept ${value === null ? `as ${fallback} says` : `${value} months`} after a case is finished (was ${before === null ? fallback : `${before} months`}).`);
  });
};
