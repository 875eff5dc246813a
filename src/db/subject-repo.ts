import { sql } from 'drizzle-orm';
import type { Tx } from './client.js';

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];

/** What identifies a person: a case-insensitive PostgreSQL regular expression, plus exact reporter fields. */
export interface SubjectMatch {
  pattern: string;
  email?: string;
  phoneDigits?: string;
}

function reporterMatches(table: 'open311_requests' | 'open311_inbound_updates', m: SubjectMatch) {
  const byName = sql.raw(`coalesce(${table}.first_name, '') || ' ' || coalesce(${table}.last_name, '')`);
  const parts = [sql`${byName} ~* ${m.pattern}`];
  if (m.email) parts.push(sql.raw(`lower(${table}.email)`).append(sql` = ${m.email.toLowerCase()}`));
  if (m.phoneDigits && table === 'open311_requests') parts.push(sql`right(regexp_replace(open311_requests.phone, '\\D', '', 'g'), 9) = right(${m.phoneDigits}, 9)`);
  return sql.join(parts, sql` or `);
}

/** Cases that mention the person anywhere: text, timeline, Open311 reporter fields, workspace threads. */
export async function findSubjectCases(db: Tx, m: SubjectMatch) {
  const p = m.pattern;
  return rowsOf(await db.execute(sql`
    select c.id, c.seq, c.status, c.service_id, c.ward_id, c.created_at, c.summary, c.description, c.location,
      exists (select 1 from open311_requests where open311_requests.case_id = c.id and (${reporterMatches('open311_requests', m)})) as reporter_is_subject,
      exists (select 1 from open311_inbound_updates where open311_inbound_updates.case_id = c.id and (${reporterMatches('open311_inbound_updates', m)})) as updater_is_subject
    from cases c
    where c.description ~* ${p} or c.summary ~* ${p} or c.location ~* ${p}
      or exists (select 1 from case_events e where e.case_id = c.id and (e.data ->> 'text' ~* ${p} or e.data ->> 'note' ~* ${p}))
      or exists (select 1 from open311_requests where open311_requests.case_id = c.id and (${reporterMatches('open311_requests', m)}))
      or exists (select 1 from open311_inbound_updates where open311_inbound_updates.case_id = c.id and (${reporterMatches('open311_inbound_updates', m)}))
    order by c.seq`));
}

export async function caseEventsFor(db: Tx, caseId: string) {
  return rowsOf(await db.execute(sql`select id::int as id, type, at, data from case_events where case_id = ${caseId} order by id`));
}

export async function open311ReporterFor(db: Tx, caseId: string) {
  return rowsOf(await db.execute(sql`select email, first_name, last_name, phone, address_string, lat, long, created_at from open311_requests where case_id = ${caseId}`))[0] ?? null;
}

export async function findSubjectMessages(db: Tx, pattern: string) {
  return rowsOf(await db.execute(sql`select id::int as id, channel_id, thread_id, created_at, text from workspace_messages where text ~* ${pattern} order by id`));
}

export async function eraseFromMessages(db: Tx, pattern: string, marker: string): Promise<number> {
  const rows = rowsOf(await db.execute(sql`update workspace_messages set text = regexp_replace(text, ${pattern}, ${marker}, 'gi'), model = null where text ~* ${pattern} returning id`));
  return rows.length;
}

/** Removes the person's reporter details from the Open311 rows that are theirs. */
export async function eraseReporter(db: Tx, caseId: string, m: SubjectMatch): Promise<void> {
  await db.execute(sql`update open311_requests set email = null, first_name = null, last_name = null, phone = null, device_id = null, account_id = null
    where case_id = ${caseId} and (${reporterMatches('open311_requests', m)})`);
  await db.execute(sql`update open311_inbound_updates set email = null, first_name = null, last_name = null
    where case_id = ${caseId} and (${reporterMatches('open311_inbound_updates', m)})`);
}

/** Updates this person posted through an Open311 client (their reporter fields). */
export async function open311UpdatesBy(db: Tx, caseId: string, m: SubjectMatch) {
  return rowsOf(await db.execute(sql`select event_id::int as event_id, email, first_name, last_name from open311_inbound_updates
    where case_id = ${caseId} and (${reporterMatches('open311_inbound_updates', m)}) order by event_id`));
}

/** Messages wardline kept while it asked what they were about (not yet cases). */
export async function findSubjectDrafts(db: Tx, pattern: string) {
  return rowsOf(await db.execute(sql`select id, platform, created_at, text from intake_drafts where text ~* ${pattern} order by created_at`));
}

export async function eraseFromDrafts(db: Tx, pattern: string, marker: string): Promise<number> {
  return rowsOf(await db.execute(sql`update intake_drafts set text = regexp_replace(text, ${pattern}, ${marker}, 'gi') where text ~* ${pattern} returning id`)).length;
}
