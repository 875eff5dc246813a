import { formatReference } from '../cases/reference.js';
import type { Db } from '../db/client.js';
import { recordAudit } from '../db/audit-repo.js';
import { eraseFromCase } from '../db/privacy-repo.js';
import {
  caseEventsFor, eraseFromDrafts, eraseFromMessages, eraseReporter, findSubjectCases, findSubjectDrafts, findSubjectMessages, open311ReporterFor, open311UpdatesBy,
  type SubjectMatch,
} from '../db/subject-repo.js';
import { AppError } from '../shared/errors.js';
import { ERASURE_MARKER } from './retention-policy.js';

export interface Subject {
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One way of naming the person: an email, a phone number (any spacing, 0 or +44) or a full name. */
export function subjectMatch(s: Subject): SubjectMatch & { kind: 'email' | 'phone' | 'name' } {
  const given = [s.email, s.phone, s.name].filter((x) => x?.trim());
  if (given.length !== 1) throw new AppError('input.invalid', 'Name the person one way: --email E, --phone P or --name "First Last".');
  if (s.email?.trim()) {
    const email = s.email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('input.invalid', `--email ${email} is not an email address.`);
    return { kind: 'email', pattern: escapeRe(email), email };
  }
  if (s.phone?.trim()) {
    const digits = s.phone.replace(/\D/g, '');
    const national = digits.replace(/^44/, '').replace(/^0/, '');
    if (national.length < 6 || national.length > 13) throw new AppError('input.invalid', `--phone ${s.phone} does not look like a phone number.`);
    return { kind: 'phone', pattern: `(\\+?44[\\s().-]*(\\(0\\))?[\\s-]*|0)${national.split('').join('[\\s().-]*')}`, phoneDigits: national };
  }
  const words = s.name!.trim().split(/\s+/);
  if (words.length < 2 || words.some((w) => w.length > 60)) throw new AppError('input.invalid', 'Give the full name (first and last) with --name, e.g. --name "Ada Lovelace".');
  return { kind: 'name', pattern: `\\m${words.map(escapeRe).join('\\s+')}\\M` };
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Every case, event and message that mentions the person, for a subject access request. */
export async function exportSubject(db: Db, subject: Subject, opts: { actor: string; at: Date }) {
  const m = subjectMatch(subject);
  const re = new RegExp(m.pattern.replace(/\\m|\\M/g, '\\b'), 'i');
  const mentions = (v: unknown) => typeof v === 'string' && re.test(v);
  const cases = [];
  for (const c of await findSubjectCases(db, m)) {
    const theirs = c.reporter_is_subject === true;
    const events = (await caseEventsFor(db, String(c.id))).filter((e) => {
      const data = e.data as Record<string, unknown>;
      return theirs || mentions(data.text) || mentions(data.note);
    }).map((e) => ({ at: iso(e.at), type: String(e.type), text: (e.data as { text?: string }).text ?? (e.data as { note?: string }).note ?? null }));
    const reporter = theirs ? await open311ReporterFor(db, String(c.id)) : null;
    const updatesPosted = c.updater_is_subject === true ? (await open311UpdatesBy(db, String(c.id), m)).map((u) => ({ eventId: u.event_id, email: u.email, firstName: u.first_name, lastName: u.last_name })) : [];
    cases.push({
      reference: formatReference(Number(c.seq)), status: c.status, service: c.service_id, ward: c.ward_id, openedAt: iso(c.created_at),
      summary: c.summary, description: c.description, location: c.location,
      reporter: reporter && { email: reporter.email, firstName: reporter.first_name, lastName: reporter.last_name, phone: reporter.phone, address: reporter.address_string, lat: reporter.lat, long: reporter.long },
      events, updatesPosted,
    });
  }
  const messages = [
    ...(await findSubjectMessages(db, m.pattern)).map((x) => ({ at: iso(x.created_at), channel: String(x.channel_id), text: x.text })),
    ...(await findSubjectDrafts(db, m.pattern)).map((x) => ({ at: iso(x.created_at), channel: `${String(x.platform)} (awaiting an answer)`, text: x.text })),
  ];
  await recordAudit(db, { actor: opts.actor, action: 'subject.exported', detail: { by: m.kind, cases: cases.length, messages: messages.length } }, opts.at);
  return { generatedAt: opts.at.toISOString(), subject: { by: m.kind, value: subject.email ?? subject.phone ?? subject.name }, cases, messages };
}

export type SubjectBundle = Awaited<ReturnType<typeof exportSubject>>;

const esc = (v: unknown) => String(v ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same bundle as a plain, readable HTML page (no scripts, everything escaped). */
export function renderSubjectHtml(b: SubjectBundle): string {
  const caseHtml = b.cases.map((c) => `<section><h2>${esc(c.reference)} — ${esc(c.service)} in ${esc(c.ward ?? 'no ward')}</h2>
<dl><dt>Status</dt><dd>${esc(c.status)}</dd><dt>Opened</dt><dd>${esc(c.openedAt)}</dd><dt>Place</dt><dd>${esc(c.location)}</dd><dt>Summary</dt><dd>${esc(c.summary)}</dd></dl>
<p>${esc(c.description).replace(/\n/g, '<br>')}</p>
${c.reporter ? `<h3>Reported by</h3><p>${esc(c.reporter.firstName)} ${esc(c.reporter.lastName)} · ${esc(c.reporter.email)} · ${esc(c.reporter.phone)}</p>` : ''}
${c.updatesPosted.length ? `<h3>Updates they sent</h3><p>${c.updatesPosted.map((u) => `${esc(u.firstName)} ${esc(u.lastName)} · ${esc(u.email)}`).join('<br>')}</p>` : ''}
${c.events.length ? `<h3>Timeline</h3><ul>${c.events.map((e) => `<li>${esc(e.at)} ${esc(e.type)}${e.text ? `: ${esc(e.text)}` : ''}</li>`).join('')}</ul>` : ''}</section>`).join('\n');
  const msgHtml = b.messages.length ? `<section><h2>Messages</h2><ul>${b.messages.map((x) => `<li>${esc(x.at)} (${esc(x.channel)}): ${esc(x.text)}</li>`).join('')}</ul></section>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Subject access: ${esc(b.subject.value)}</title>
<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}dt{font-weight:bold}section{border-top:1px solid #bbb;margin-top:1.5rem}</style></head>
<body><h1>Information held about ${esc(b.subject.value)}</h1>
<p>Found by ${esc(b.subject.by)} on ${esc(b.generatedAt)}: ${b.cases.length} case${b.cases.length === 1 ? '' : 's'} and ${b.messages.length} message${b.messages.length === 1 ? '' : 's'}.</p>
${caseHtml}
${msgHtml}
</body></html>
`;
}

/** Removes the person's details wherever they appear; records that it happened, not what was removed. */
export async function eraseSubject(db: Db, subject: Subject, opts: { actor: string; at: Date }): Promise<{ cases: number; messages: number }> {
  const m = subjectMatch(subject);
  const found = await findSubjectCases(db, m);
  for (const c of found) {
    await db.transaction(async (tx) => {
      await eraseFromCase(tx, String(c.id), m.pattern, ERASURE_MARKER);
      await eraseReporter(tx, String(c.id), m);
    });
  }
  const messages = await eraseFromMessages(db, m.pattern, ERASURE_MARKER) + await eraseFromDrafts(db, m.pattern, ERASURE_MARKER);
  await recordAudit(db, { actor: opts.actor, action: 'subject.erased', detail: { by: m.kind, cases: found.length, messages } }, opts.at);
  return { cases: found.length, messages };
}
