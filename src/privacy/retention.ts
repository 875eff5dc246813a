import { formatReference } from '../cases/reference.js';
import type { Db } from '../db/client.js';
import { latestAudit, recordAudit } from '../db/audit-repo.js';
import { findExpiredCases, redactCaseText } from '../db/privacy-repo.js';
import type { Clock } from '../shared/clock.js';
import { cutoffFor, retentionMarker, samePolicy, type RetentionPolicy } from './retention-policy.js';

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
  await noteRetentionSettings(deps.db, deps.policy, opts.actor, now);
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

/**
 * Records the retention policy in force when it differs from the last one recorded (a changed
 * RETENTION_MONTHS or RETENTION_MONTHS_BY_SERVICE, or a service's own retention), so the audit
 * log shows when the settings changed and who first ran retention under them.
 */
export async function noteRetentionSettings(db: Db, policy: RetentionPolicy, actor: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const last = await latestAudit(tx, 'retention.settings');
    const before = last ? (last.detail as unknown as RetentionPolicy) : null;
    if (before && samePolicy(before, policy)) return false;
    await recordAudit(tx, { actor, action: 'retention.settings', detail: { defaultMonths: policy.defaultMonths, byService: policy.byService, ...(before ? { before } : {}) } }, at);
    return true;
  });
}
