import { and, asc, eq, sql } from 'drizzle-orm';
import type { CouncilExample, ExampleKind, ExampleSource } from '../intake/learning/council-examples.js';
import { normaliseText } from '../intake/normalise.js';
import type { Tx } from './client.js';
import { caseEvents, cases, intakeExamples, people, personWards } from './tables.js';

/** The channel a case was raised in, as the opening event recorded it (`channel`; null for a DM). */
async function openedChannel(db: Tx, caseId: string): Promise<string | null> {
  const [row] = await db.select({ data: caseEvents.data }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'opened'))).limit(1);
  const channel = (row?.data as { channel?: unknown } | undefined)?.channel;
  return typeof channel === 'string' && channel ? channel : null;
}

async function sender(db: Tx, personId: string): Promise<{ role: string | null; wards: string[] }> {
  const [p] = await db.select({ roles: people.roles }).from(people).where(eq(people.id, personId));
  const wards = await db.select({ wardId: personWards.wardId }).from(personWards).where(eq(personWards.personId, personId)).orderBy(asc(personWards.wardId));
  return { role: p?.roles[0] ?? null, wards: wards.map((w) => w.wardId) };
}

/**
 * A correction of a case's ward or service makes its message a labelled example: the cases opened
 * from that one message (same sender, moment and text) with their wards and services as they are
 * now. A later correction of any of them relabels the same example. Call in the correction's
 * transaction.
 */
export async function recordCorrectionExample(db: Tx, caseId: string, at: Date): Promise<void> {
  const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
  if (!c) return;
  const siblings = await db.select({ id: cases.id, wardId: cases.wardId, serviceId: cases.serviceId }).from(cases)
    .where(and(eq(cases.raisedById, c.raisedById), eq(cases.createdAt, c.createdAt), eq(cases.description, c.description))).orderBy(asc(cases.seq));
  const first = siblings[0]?.id ?? c.id;
  const labelled = siblings.filter((s) => s.serviceId).map((s) => ({ ward: s.wardId, service: s.serviceId! }));
  const who = await sender(db, c.raisedById);
  await db.insert(intakeExamples).values({
    key: `case:${first}`, caseId: first, source: 'correction' satisfies ExampleSource, text: normaliseText(c.description),
    platform: c.sourcePlatform, channelName: await openedChannel(db, first), senderRole: who.role, senderWards: who.wards,
    kind: 'escalation' satisfies ExampleKind, cases: labelled, missing: [], createdAt: at, updatedAt: at,
  }).onConflictDoUpdate({ target: intakeExamples.key, set: { cases: labelled, updatedAt: at } });
}

export interface ClarifyAnswer {
  caseId: string;
  text: string;
  platform: string;
  channelName: string | null;
  sender: { role: string | null; wards: string[] };
  /** What wardline had to ask: the ward, the service, or both. */
  asked: ('ward' | 'service')[];
  wardId: string;
  serviceId: string;
  at: Date;
}

/**
 * The answer to a clarifying question labels the message: its service; and when the ward had to be
 * asked, the message itself does not settle it (kind `clarify`, ward missing), as LABELS.md has it.
 */
export async function recordClarifyExample(db: Tx, a: ClarifyAnswer): Promise<void> {
  const wardAsked = a.asked.includes('ward');
  await db.insert(intakeExamples).values({
    key: `case:${a.caseId}`, caseId: a.caseId, source: 'clarify' satisfies ExampleSource, text: normaliseText(a.text),
    platform: a.platform, channelName: a.channelName, senderRole: a.sender.role, senderWards: a.sender.wards,
    kind: (wardAsked ? 'clarify' : 'escalation') satisfies ExampleKind, cases: [{ ward: a.wardId, service: a.serviceId }],
    missing: wardAsked ? ['ward'] : [], createdAt: a.at, updatedAt: a.at,
  }).onConflictDoNothing({ target: intakeExamples.key });
}

/** Every council example, oldest first. */
export async function loadCouncilExamples(db: Tx): Promise<CouncilExample[]> {
  const rows = await db.select().from(intakeExamples).orderBy(asc(intakeExamples.id));
  return rows.map((r) => ({
    id: r.id, text: r.text, platform: r.platform, channelName: r.channelName, senderRole: r.senderRole, senderWards: r.senderWards,
    kind: r.kind as ExampleKind, cases: r.cases, missing: r.missing,
  }));
}

export async function countCouncilExamples(db: Tx): Promise<{ examples: number; corrections: number; answers: number }> {
  const [row] = await db.select({
    examples: sql<number>`count(*)::int`,
    corrections: sql<number>`count(*) filter (where ${intakeExamples.source} = 'correction')::int`,
    answers: sql<number>`count(*) filter (where ${intakeExamples.source} = 'clarify')::int`,
  }).from(intakeExamples);
  return row ?? { examples: 0, corrections: 0, answers: 0 };
}
