import { sql, type SQL } from 'drizzle-orm';
import type { CaseScope } from '../cases/authorisation.js';
import { parseReference } from '../cases/reference.js';
import { CASE_STATUSES } from '../shared/enums.js';
import { caseScopeSql } from './case-scope-sql.js';
import type { Tx } from './client.js';
import { CASE_COLUMNS, OPEN_STATUSES_SQL, overdueSql, rowsOf, toCaseRow, type CaseRow } from './dashboard-repo.js';

export const CASE_SORTS = ['newest', 'oldest', 'due'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseListFilter {
  /** `open`, `closed` (resolved or closed), one status, or all. */
  status?: string;
  wardId?: string;
  serviceId?: string;
  overdue?: boolean;
  /** A reference (WL-000123) or part of a street or place name. */
  q?: string;
  sort?: CaseSort;
}

function filterSql(scope: CaseScope, f: CaseListFilter, now: Date): SQL {
  const parts: SQL[] = [caseScopeSql(scope)];
  if (f.status === 'open') parts.push(sql`cases.status in ${OPEN_STATUSES_SQL}`);
  else if (f.status === 'closed') parts.push(sql`cases.status in ('resolved','closed')`);
  else if (f.status && (CASE_STATUSES as readonly string[]).includes(f.status)) parts.push(sql`cases.status = ${f.status}`);
  if (f.wardId) parts.push(sql`cases.ward_id = ${f.wardId}`);
  if (f.serviceId) parts.push(sql`cases.service_id = ${f.serviceId}`);
  if (f.overdue) parts.push(overdueSql(now));
  const q = f.q?.trim();
  if (q) {
    const seq = parseReference(q);
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(seq ? sql`cases.seq = ${seq}` : sql`cases.location ilike ${like}`);
  }
  return sql.join(parts, sql` and `);
}

const ORDER: Record<CaseSort, SQL> = {
  newest: sql`cases.seq desc`,
  oldest: sql`cases.seq asc`,
  due: sql`cases.respond_by asc nulls last, cases.seq asc`,
};

/** One page of the cases a person may see, filtered and sorted; with the total. */
export async function listScopedCases(db: Tx, scope: CaseScope, f: CaseListFilter, page: { offset: number; limit: number }, now: Date): Promise<{ rows: CaseRow[]; total: number }> {
  const where = filterSql(scope, f, now);
  const [rows, total] = await Promise.all([
    db.execute(sql`select ${CASE_COLUMNS}, ${overdueSql(now)} as overdue from cases where ${where}
      order by ${ORDER[f.sort ?? 'newest']} limit ${page.limit} offset ${page.offset}`),
    db.execute(sql`select count(*) as n from cases where ${where}`),
  ]);
  return { rows: rowsOf(rows).map(toCaseRow), total: Number(rowsOf(total)[0]?.n ?? 0) };
}

/**
 * The same cases for export, in batches by reference (keyset, never OFFSET): memory stays
 * bounded by one batch however many cases match.
 */
export async function* streamScopedCases(db: Tx, scope: CaseScope, f: CaseListFilter, now: Date, batch = 2000): AsyncGenerator<CaseRow[]> {
  const where = filterSql(scope, f, now);
  let after = 0;
  for (;;) {
    const rows = rowsOf(await db.execute(sql`select ${CASE_COLUMNS}, ${overdueSql(now)} as overdue from cases
      where ${where} and cases.seq > ${after} order by cases.seq limit ${batch}`)).map(toCaseRow);
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batch) return;
  }
}
