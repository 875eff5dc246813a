import { desc, eq, gte } from 'drizzle-orm';
import { formatReference } from '../cases/reference.js';
import type { CorrectionRecord } from '../intake/correction-suggestions.js';
import type { Tx } from './client.js';
import { cases, intakeCorrections, people } from './tables.js';

export interface CorrectionRow extends CorrectionRecord {
  id: number;
  reference: string | null;
  by: string | null;
  at: Date;
}

/** Recorded intake corrections, newest first, with their case's reference and place. */
export async function listCorrections(db: Tx, opts: { since?: Date; limit?: number } = {}): Promise<CorrectionRow[]> {
  const rows = await db.select({
    id: intakeCorrections.id, seq: cases.seq, text: intakeCorrections.text, location: cases.location,
    originalWardId: intakeCorrections.originalWardId, originalServiceId: intakeCorrections.originalServiceId,
    correctedWardId: intakeCorrections.correctedWardId, correctedServiceId: intakeCorrections.correctedServiceId,
    by: people.name, at: intakeCorrections.at,
  }).from(intakeCorrections)
    .leftJoin(cases, eq(cases.id, intakeCorrections.caseId))
    .leftJoin(people, eq(people.id, intakeCorrections.byId))
    .where(opts.since ? gte(intakeCorrections.at, opts.since) : undefined)
    .orderBy(desc(intakeCorrections.at), desc(intakeCorrections.id)).limit(opts.limit ?? 500);
  return rows.map(({ seq, ...r }) => ({ ...r, reference: seq ? formatReference(seq) : null }));
}
