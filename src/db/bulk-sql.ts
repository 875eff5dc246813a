import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';

/** The rows of a raw statement's result, from postgres.js (an array) or PGlite (`{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** A column's type as a record definition names it (serials are their integer types there). */
function recordType(column: PgColumn): string {
  const t = column.getSQLType();
  return t === 'bigserial' ? 'bigint' : t === 'serial' ? 'integer' : t === 'smallserial' ? 'smallint' : t;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * `INSERT INTO table (…) SELECT … FROM jsonb_to_recordset($1)`: many rows of one shape as a single
 * parameter. Drizzle builds a multi-row insert one parameter at a time, which for a batch of cases
 * and their messages costs the worker more CPU than the database spends on the rows. `rows` are
 * keyed by the table's property names (as for `db.insert(table).values`); Dates are written as ISO
 * instants and jsonb columns take their values as they are. A key undefined in every row is left
 * to the column's default; one undefined in only some rows is NULL there (give rows one shape).
 * `tail` follows (ON CONFLICT …, RETURNING …).
 */
export function insertJsonRows<T extends PgTable>(table: T, rows: Partial<T['$inferInsert']>[], tail: SQL = sql``): SQL {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(columns).filter((k) => rows.some((r) => (r as Record<string, unknown>)[k] !== undefined));
  const records = rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) out[columns[k]!.name] = (r as Record<string, unknown>)[k] ?? null;
    return out;
  });
  const names = keys.map((k) => quoted(columns[k]!.name)).join(', ');
  const defs = keys.map((k) => `${quoted(columns[k]!.name)} ${recordType(columns[k]!)}`).join(', ');
  const { name, schema } = getTableConfig(table);
  const target = schema ? `${quoted(schema)}.${quoted(name)}` : quoted(name);
  return sql`insert into ${sql.raw(target)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(${sql.raw(defs)}) ${tail}`;
}
