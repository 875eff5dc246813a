import { formatReference } from '../cases/reference.js';
import type { Db } from '../db/client.js';
import { recordAudit } from '../db/audit-repo.js';
import { findExpiredCases, redactCaseText } from '../db/privacy-repo.js';
import type { Clock } from '../shared/clock.js';
import { cutoffFor, retentionMarker, type RetentionPolicy } from './retention-policy.js';

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  policy: RetentionPolicy;
}

export interface RetentionReport {
  dryRun: boolean;
  cases: { reference: string; serviceId: string | null; finishedAt: Date; months: number }[];
}

const BATCH = 200;

/**
 * Removes the free text and residents' details of cases finished longer ago than their service's
 * retention, keeping ward, service, dates and statuses (digests stay right). One transaction per
 * case: a run stopped half way leaves each case untouched or fully redacted, and the next run
 * carries on. A dry run only says what would change.
 */
export async function runRetention(deps: RetentionDeps, opts: { dryRun: boolean; actor: string }): Promise<RetentionReport> {
  const now = deps.clock.now();
  const fallback = { cutoff: cutoffFor(now, deps.policy.defaultMonths), months: deps.policy.defaultMonths };
  const cutoffs = Object.entries(deps.policy.byService).map(([serviceId, months]) => ({ serviceId, months, cutoff: cutoffFor(now, months) }));
  const report: RetentionReport = { dryRun: opts.dryRun, cases: [] };
  for (;;) {
    const expired = await findExpiredCases(deps.db, { fallback, cutoffs, limit: opts.dryRun ? 100_000 : BATCH });
    for (const c of expired) {
      report.cases.push({ reference: formatReference(c.seq), serviceId: c.serviceId, finishedAt: c.finishedAt, months: c.months });
      if (!opts.dryRun) await deps.db.transaction((tx) => redactCaseText(tx, c.id, retentionMarker(c.months), `retention:${c.months}`, now));
    }
    if (opts.dryRun || expired.length < BATCH) break;
  }
  if (!opts.dryRun || report.cases.length) {
    await recordAudit(deps.db, { actor: opts.actor, action: opts.dryRun ? 'retention.dry_run' : 'retention.run', detail: { cases: report.cases.length, defaultMonths: deps.policy.defaultMonths, byService: deps.policy.byService } }, now);
  }
  return report;
}
