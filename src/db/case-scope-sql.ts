import { sql, type SQL } from 'drizzle-orm';
import type { CaseScope } from '../cases/authorisation.js';

const list = (ids: string[]) => sql.join(ids.map((x) => sql`${x}`), sql`, `);

/**
 * The SQL form of `caseScopeOf`: a condition over `cases` (unaliased) that keeps only the cases
 * the person works with. Chat's "my cases" and the web's case list both use it.
 */
export function caseScopeSql(scope: CaseScope): SQL {
  if (scope.all) return sql`true`;
  const p = scope.personId;
  const parts: SQL[] = [
    sql`cases.raised_by_id = ${p}`,
    sql`cases.assignee_id = ${p}`,
    sql`cases.rm_id = ${p}`,
    sql`cases.deputy_id = ${p}`,
    sql`exists (select 1 from case_watchers w where w.case_id = cases.id and w.person_id = ${p})`,
  ];
  if (scope.wardIds.length) parts.push(sql`cases.ward_id in (${list(scope.wardIds)})`);
  if (scope.serviceIds.length) parts.push(sql`cases.service_id in (${list(scope.serviceIds)})`);
  return sql`(${sql.join(parts, sql` or `)})`;
}
