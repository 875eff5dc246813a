import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
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
    parts.push(seq ? sql`cases.seq = ${seq}` : placeWordsSql(q));
  }
  return sql.join(parts, sql` and `);
}

/**
 * A street or place by its words, the last one as a prefix ("slade r" finds "Slade Road"), through
 * the words index on `location`. Punctuation separates words; with no words nothing matches.
 */
function placeWordsSql(q: string): SQL {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return sql`false`;
  // Every word, in any order (&: the words index answers it without reading the rows again).
  const query = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
  return sql`to_tsvector('simple', coalesce(cases.location, '')) @@ to_tsquery('simple', ${query})`;
}

/** Where a page of cases starts or ends: the last row's sort key, opaque to the page. */
export type CaseCursor = string;
export interface CasePage { rows: CaseRow[]; total: number; totalIsAtLeast: boolean; next: CaseCursor | null; prev: CaseCursor | null }
/** Counting stops here: past it the page says "more than". */
export const COUNT_CAP = 1000;

const ORDER: Record<CaseSort, [SQL, SQL]> = {
  newest: [sql`cases.seq desc`, sql`cases.seq asc`],
  oldest: [sql`cases.seq asc`, sql`cases.seq desc`],
  due: [sql`cases.respond_by asc nulls last, cases.seq asc`, sql`cases.respond_by desc nulls first, cases.seq desc`],
};
/**
 * The same orders in a form no index gives: a search finds its cases through the words index and
 * sorts them, rather than walking every open case in order and reading each one's place.
 */
const SEARCH_ORDER: Record<CaseSort, [SQL, SQL]> = {
  newest: [sql`(cases.seq + 0) desc`, sql`(cases.seq + 0) asc`],
  oldest: [sql`(cases.seq + 0) asc`, sql`(cases.seq + 0) desc`],
  due: [sql`coalesce(cases.respond_by, 'infinity') asc, cases.seq asc`, sql`coalesce(cases.respond_by, 'infinity') desc, cases.seq desc`],
};
const orderOf = (f: CaseListFilter) => (f.q?.trim() && !parseReference(f.q) ? SEARCH_ORDER : ORDER)[f.sort ?? 'newest'];

const cursorOf = (sort: CaseSort, r: CaseRow): CaseCursor => (sort === 'due' ? `${r.respondBy?.toISOString() ?? '-'}~${r.seq}` : String(r.seq));

/** The rows after (or before) a cursor in the sort's order; a cursor that does not parse starts at the beginning. */
function beyondSql(sort: CaseSort, cursor: CaseCursor, dir: 'after' | 'before'): SQL {
  const m = /^(?:(-|\d{4}-\d\d-\d\dT[\d:.]+Z)~)?(\d{1,15})$/.exec(cursor);
  if (!m || (sort === 'due') !== (m[1] !== undefined)) return sql`true`;
  const seq = Number(m[2]);
  if (sort !== 'due') return (sort === 'newest') === (dir === 'after') ? sql`cases.seq < ${seq}` : sql`cases.seq > ${seq}`;
  if (m[1] === '-') {
    return dir === 'after' ? sql`(cases.respond_by is null and cases.seq > ${seq})` : sql`(cases.respond_by is not null or cases.seq < ${seq})`;
  }
  const at = sql`${m[1]}::timestamptz`;
  return dir === 'after'
    ? sql`(cases.respond_by > ${at} or (cases.respond_by = ${at} and cases.seq > ${seq}) or cases.respond_by is null)`
    : sql`(cases.respond_by < ${at} or (cases.respond_by = ${at} and cases.seq < ${seq}))`;
}

/**
 * One page of the cases a person may see, filtered and sorted, after or before a cursor (keyset:
 * as quick on the last page as on the first); the total is counted up to COUNT_CAP.
 */
export async function listScopedCases(db: Tx, scope: CaseScope, f: CaseListFilter, page: { after?: CaseCursor; before?: CaseCursor; limit: number }, now: Date): Promise<CasePage> {
  const where = filterSql(scope, f, now);
  const sort = f.sort ?? 'newest';
  const back = !page.after && !!page.before;
  const beyond = page.after ? beyondSql(sort, page.after, 'after') : page.before ? beyondSql(sort, page.before, 'before') : sql`true`;
  const [found, counted] = await Promise.all([
    db.execute(sql`select ${CASE_COLUMNS}, ${overdueSql(now)} as overdue from cases where ${where} and ${beyond}
      order by ${orderOf(f)[back ? 1 : 0]} limit ${page.limit + 1}`),
    db.execute(sql`select count(*) as n from (select 1 from cases where ${where} limit ${COUNT_CAP + 1}) x`),
  ]);
  const more = rowsOf(found).length > page.limit;
  const rows = rowsOf(found).slice(0, page.limit).map(toCaseRow);
  if (back) rows.reverse();
  const n = Number(rowsOf(counted)[0]?.n ?? 0);
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows, total: Math.min(n, COUNT_CAP), totalIsAtLeast: n > COUNT_CAP,
    next: last && (back || more) ? cursorOf(sort, last) : null,
    prev: first && (back ? more : !!page.after) ? cursorOf(sort, first) : null,
  };
}

interface CursorClient { unsafe(query: string, params: unknown[]): { cursor(rows: number): AsyncIterable<Record<string, unknown>[]> } }

/**
 * The same cases for export, oldest reference first, a batch at a time: from a server-side cursor
 * on PostgreSQL, by keyset (never OFFSET) on PGlite. The next batch is read only when the last has
 * been sent, so memory stays bounded by one batch however many cases match.
 */
export async function* streamScopedCases(db: Tx, scope: CaseScope, f: CaseListFilter, now: Date, batch = 200): AsyncGenerator<CaseRow[]> {
  const where = filterSql(scope, f, now);
  const client = (db as { $client?: Partial<CursorClient> }).$client;
  if (typeof client?.unsafe === 'function') {
    const q = new PgDialect().sqlToQuery(sql`select ${CASE_COLUMNS}, ${overdueSql(now)} as overdue from cases where ${where} order by ${orderOf({ ...f, sort: 'oldest' })[0]}`);
    for await (const rows of (client as CursorClient).unsafe(q.sql, q.params).cursor(batch)) yield rows.map(toCaseRow);
    return;
  }
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
