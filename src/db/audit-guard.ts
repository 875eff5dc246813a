import { sql } from 'drizzle-orm';

/** Anything that runs SQL: drizzle on postgres.js or PGlite, before the handle is wrapped. */
interface Executor {
  execute(query: ReturnType<typeof sql.raw>): Promise<unknown>;
}

/**
 * The audit log is append-only in the database itself, not only in wardline's code: triggers
 * refuse every UPDATE, DELETE and TRUNCATE of `audit_log`, whoever connects. Drizzle's schema
 * cannot describe triggers, so they are (re)installed after each migration run; the statements
 * are idempotent. Removing them takes a deliberate DROP TRIGGER by the database owner.
 */
const STATEMENTS = [
  `create or replace function wardline_audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is refused', tg_op using errcode = 'insufficient_privilege';
end $$`,
  'create or replace trigger audit_log_append_only before update or delete on audit_log for each row execute function wardline_audit_log_append_only()',
  'create or replace trigger audit_log_no_truncate before truncate on audit_log for each statement execute function wardline_audit_log_append_only()',
];

export async function guardAuditLog(db: Executor): Promise<void> {
  for (const statement of STATEMENTS) await db.execute(sql.raw(statement));
}
