import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from './client.js';

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => (Array.isArray(r) ? r : ((r as { rows?: Row[] }).rows ?? [])) as Row[];
const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export interface ExpiredCase {
  id: string;
  seq: number;
  serviceId: string | null;
  finishedAt: Date;
  months: number;
}

/**
 * Finished cases (resolved or closed) whose retention has run out and that still hold text.
 * `cutoffs` gives each service with its own retention a cutoff; `fallback` the rest.
 */
export async function findExpiredCases(db: Tx, opts: { fallback: { cutoff: Date; months: number }; cutoffs: { serviceId: string; cutoff: Date; months: number }[]; limit: number }): Promise<ExpiredCase[]> {
  const cutoffCase = opts.cutoffs.length
    ? sql`case ${sql.join(opts.cutoffs.map((c) => sql`when c.service_id = ${c.serviceId} then ${t(c.cutoff)}`), sql` `)} else ${t(opts.fallback.cutoff)} end`
    : t(opts.fallback.cutoff);
  const monthsCase = opts.cutoffs.length
    ? sql`case ${sql.join(opts.cutoffs.map((c) => sql`when c.service_id = ${c.serviceId} then ${c.months}`), sql` `)} else ${opts.fallback.months} end`
    : sql`${opts.fallback.months}`;
  const rows = rowsOf(await db.execute(sql`
    select c.id, c.seq, c.service_id, coalesce(c.closed_at, c.resolved_at) as finished_at, ${monthsCase}::int as months
    from cases c
    where c.status in ('resolved', 'closed') and coalesce(c.closed_at, c.resolved_at) < ${cutoffCase}
      and not exists (select 1 from case_redactions r where r.case_id = c.id)
    order by c.seq limit ${opts.limit}`));
  return rows.map((r) => ({ id: String(r.id), seq: Number(r.seq), serviceId: (r.service_id as string | null) ?? null, finishedAt: new Date(r.finished_at as string), months: Number(r.months) }));
}

/** Replaces a string in every text key of a jsonb object (`text`, `note`): the whole value when `match` is null. */
function jsonTextKeys(column: SQL, marker: string, match: string | null): SQL {
  const value = match === null ? sql`to_jsonb(${marker}::text)` : sql`to_jsonb(regexp_replace(${column} ->> k, ${match}, ${marker}, 'gi'))`;
  return sql`${column} || coalesce((select jsonb_object_agg(k, ${value}) from jsonb_object_keys(${column}) k where k in ('text', 'note') and jsonb_typeof(${column} -> k) = 'string'), '{}'::jsonb)`;
}

/** The chat messages of a case's threads in the built-in workspace. */
const caseWorkspaceMessages = (caseId: string) => sql`exists (select 1 from conversation_links l where l.case_id = ${caseId} and l.platform = 'local'
  and l.channel_id = workspace_messages.channel_id and (l.thread_id = workspace_messages.thread_id or l.thread_id = workspace_messages.id::text))`;

/**
 * Removes a case's free text and residents' details, keeping ward, service, dates and statuses.
 * Call inside one transaction per case: it is all done or none of it is.
 */
export async function redactCaseText(tx: Tx, caseId: string, marker: string, reason: string, at: Date): Promise<void> {
  await tx.execute(sql`update cases set summary = ${marker}, description = ${marker}, location = case when location is null then null else ${marker} end where id = ${caseId}`);
  await tx.execute(sql`update case_events set data = ${jsonTextKeys(sql`data`, marker, null)} where case_id = ${caseId}`);
  await tx.execute(sql`update open311_requests set lat = null, long = null, address_string = case when address_string is null then null else ${marker} end,
    address_id = null, attributes = '{}'::jsonb, email = null, first_name = null, last_name = null, phone = null, device_id = null, account_id = null, media_url = null
    where case_id = ${caseId}`);
  await tx.execute(sql`update open311_inbound_updates set email = null, first_name = null, last_name = null where case_id = ${caseId}`);
  await tx.execute(sql`update intake_corrections set text = ${marker} where case_id = ${caseId}`);
  await tx.execute(sql`update outbox set payload = jsonb_set(payload, '{render,message,text}', to_jsonb(${marker}::text))
    where case_id = ${caseId} and payload #> '{render,message,text}' is not null`);
  await tx.execute(sql`update workspace_messages set text = ${marker}, model = null where ${caseWorkspaceMessages(caseId)}`);
  await tx.execute(sql`insert into case_redactions (case_id, at, reason) values (${caseId}, ${t(at)}, ${reason}) on conflict (case_id) do update set at = excluded.at, reason = excluded.reason`);
}

/** Replaces `pattern` (a case-insensitive regular expression) wherever it appears in a case's text. */
export async function eraseFromCase(tx: Tx, caseId: string, pattern: string, marker: string): Promise<void> {
  await tx.execute(sql`update cases set summary = regexp_replace(summary, ${pattern}, ${marker}, 'gi'), description = regexp_replace(description, ${pattern}, ${marker}, 'gi'),
    location = regexp_replace(location, ${pattern}, ${marker}, 'gi') where id = ${caseId}`);
  await tx.execute(sql`update case_events set data = ${jsonTextKeys(sql`data`, marker, pattern)} where case_id = ${caseId}`);
  await tx.execute(sql`update intake_corrections set text = regexp_replace(text, ${pattern}, ${marker}, 'gi') where case_id = ${caseId}`);
  await tx.execute(sql`update outbox set payload = jsonb_set(payload, '{render,message,text}', to_jsonb(regexp_replace(payload #>> '{render,message,text}', ${pattern}, ${marker}, 'gi')))
    where case_id = ${caseId} and payload #> '{render,message,text}' is not null`);
  await tx.execute(sql`update workspace_messages set text = regexp_replace(text, ${pattern}, ${marker}, 'gi'), model = null where ${caseWorkspaceMessages(caseId)} and text ~* ${pattern}`);
}
