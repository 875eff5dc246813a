import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type {
  CaseEvent, CaseFilter, CaseRecord, CaseRepo, CaseStore, CaseToOpen, ConversationLink, NewCaseEvent, OpenedCase, OutboundMessage,
} from '../cases/case-record.js';
import { formatReference } from '../cases/reference.js';
import type { RouteDecision } from '../routing/routing-table.js';
import { AppError } from '../shared/errors.js';
import type { CaseStatus } from '../shared/enums.js';
import { asCaseId, asPersonId, asServiceId, asWardId, type CaseId, type PersonId } from '../shared/ids.js';
import type { Db, Tx } from './client.js';
import { CASE_NUMBER_LOCK, enqueueOutboundMany, insertOpenedCases } from './case-bulk.js';
import { caseScopeSql } from './case-scope-sql.js';
import { recordCaseChange, snapshotCaseForStats, STATS_FIELDS } from './dashboard-stats.js';
import { enqueueOutbound } from './outbox-repo.js';
import { scheduleSlaCheck } from './sla-sweep-repo.js';
import { insertLink, linksForCase } from './conversation-repo.js';
import { recordCorrectionExample } from './intake-examples-repo.js';
import { caseEvents, cases, caseWatchers, intakeCorrections } from './tables.js';

type CaseRow = typeof cases.$inferSelect;


function toRecord(row: CaseRow, watcherIds: PersonId[]): CaseRecord {
  const { overdueAt: _generated, ...r } = row;
  return {
    ...r,
    id: asCaseId(r.id),
    reference: formatReference(r.seq),
    serviceId: r.serviceId ? asServiceId(r.serviceId) : null,
    wardId: r.wardId ? asWardId(r.wardId) : null,
    raisedById: asPersonId(r.raisedById),
    assigneeId: r.assigneeId ? asPersonId(r.assigneeId) : null,
    rmId: r.rmId ? asPersonId(r.rmId) : null,
    deputyId: r.deputyId ? asPersonId(r.deputyId) : null,
    duplicateOfId: r.duplicateOfId ? asCaseId(r.duplicateOfId) : null,
    routing: (r.routing as RouteDecision | null) ?? null,
    watcherIds,
  };
}

class DrizzleCaseRepo implements CaseRepo {
  constructor(private readonly db: Tx) {}

  private async withWatchers(rows: CaseRow[]): Promise<CaseRecord[]> {
    if (!rows.length) return [];
    const w = await this.db.select().from(caseWatchers).where(inArray(caseWatchers.caseId, rows.map((r) => r.id)));
    return rows.map((r) => toRecord(r, w.filter((x) => x.caseId === r.id).map((x) => asPersonId(x.personId))));
  }

  async getCase(id: CaseId, opts: { forUpdate?: boolean } = {}): Promise<CaseRecord | null> {
    const q = this.db.select().from(cases).where(eq(cases.id, id));
    const rows = opts.forUpdate ? await q.for('update') : await q;
    return (await this.withWatchers(rows))[0] ?? null;
  }

  async getCases(ids: CaseId[]): Promise<CaseRecord[]> {
    if (!ids.length) return [];
    return this.withWatchers(await this.db.select().from(cases).where(inArray(cases.id, ids)));
  }

  async getCaseByReference(seq: number): Promise<CaseRecord | null> {
    const rows = await this.db.select().from(cases).where(eq(cases.seq, seq));
    return (await this.withWatchers(rows))[0] ?? null;
  }

  /**
   * References have no gaps: the next numbers are taken under a transaction-scoped lock, not from
   * the column's sequence, which skips values after a rolled-back open and jumps by up to 32 after
   * an unclean stop (PostgreSQL logs sequences ahead; PGlite in ./.wardline then recovers).
   */
  async insertCases(items: CaseToOpen[], at: Date): Promise<OpenedCase[]> {
    const opened = await insertOpenedCases(this.db, items, at);
    return opened.rows.map((row, k) => ({ record: toRecord(row, []), event: opened.events[k]!, links: opened.links[k]! }));
  }

  async updateCase(id: CaseId, patch: Partial<CaseRecord>): Promise<CaseRecord> {
    const { watcherIds: _w, reference: _r, id: _i, seq: _s, rowVersion: _v, ...rest } = patch as Partial<CaseRecord> & { overdueAt?: unknown };
    delete rest.overdueAt;
    // The dashboards' rollup moves with the case, in this transaction, when a figure may change.
    const before = STATS_FIELDS.some((k) => k in rest) ? await snapshotCaseForStats(this.db, id) : null;
    const [row] = await this.db.update(cases).set({ ...rest, rowVersion: sql`${cases.rowVersion} + 1` }).where(eq(cases.id, id)).returning();
    if (!row) throw new AppError('case.not_found', 'That case no longer exists.');
    if (before !== null) await recordCaseChange(this.db, id, before);
    await scheduleSlaCheck(this.db, row.id, row.status, row.updatedAt);
    return (await this.withWatchers([row]))[0]!;
  }

  async appendEvent(id: CaseId, e: NewCaseEvent): Promise<CaseEvent> {
    const [row] = await this.db.insert(caseEvents).values({ ...e, caseId: id }).returning();
    return toEvent(row!);
  }

  async addWatcher(id: CaseId, personId: PersonId): Promise<boolean> {
    const rows = await this.db.insert(caseWatchers).values({ caseId: id, personId }).onConflictDoNothing().returning();
    return rows.length > 0;
  }

  async listEvents(id: CaseId): Promise<CaseEvent[]> {
    const rows = await this.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.id));
    return rows.map(toEvent);
  }

  async listCases(f: CaseFilter): Promise<CaseRecord[]> {
    const conds: SQL[] = [];
    if (f.wardIds) conds.push(f.wardIds.length ? inArray(cases.wardId, f.wardIds) : sql`false`);
    if (f.serviceIds) conds.push(f.serviceIds.length ? inArray(cases.serviceId, f.serviceIds) : sql`false`);
    if (f.assigneeId) conds.push(eq(cases.assigneeId, f.assigneeId));
    if (f.scope) conds.push(caseScopeSql(f.scope));
    if (f.statuses) conds.push(inArray(cases.status, f.statuses));
    if (f.raisedOrWatchedBy) {
      conds.push(or(eq(cases.raisedById, f.raisedOrWatchedBy),
        sql`exists (select 1 from ${caseWatchers} where ${caseWatchers.caseId} = ${cases.id} and ${caseWatchers.personId} = ${f.raisedOrWatchedBy})`)!);
    }
    const rows = await this.db.select().from(cases).where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(cases.seq)).limit(f.limit ?? 200);
    return this.withWatchers(rows);
  }

  async enqueue(messages: OutboundMessage[], caseId: CaseId | null, at: Date): Promise<void> {
    await enqueueOutbound(this.db, messages, caseId, at);
  }

  enqueueMany(groups: { messages: OutboundMessage[]; caseId: CaseId | null }[], at: Date): Promise<void> {
    return enqueueOutboundMany(this.db, groups, at);
  }

  insertLink(link: ConversationLink, at: Date): Promise<void> {
    return insertLink(this.db, link, at);
  }

  listLinks(caseId: CaseId): Promise<ConversationLink[]> {
    return linksForCase(this.db, caseId);
  }

  /** The correction, and its message as a labelled example for retraining the intake model. */
  async recordCorrection(c: Parameters<CaseRepo['recordCorrection']>[0]): Promise<void> {
    await this.db.insert(intakeCorrections).values(c);
    await recordCorrectionExample(this.db, c.caseId, c.at);
  }
}

function toEvent(r: typeof caseEvents.$inferSelect): CaseEvent {
  return {
    id: r.id, caseId: asCaseId(r.caseId), type: r.type, actorId: r.actorId ? asPersonId(r.actorId) : null, at: r.at,
    fromStatus: r.fromStatus as CaseStatus | null, toStatus: r.toStatus as CaseStatus | null, data: (r.data ?? {}) as Record<string, unknown>,
  };
}

/** The case repository on a transaction or the database, for other stores' transactions. */
export const caseRepoOn = (db: Tx): CaseRepo => new DrizzleCaseRepo(db);

/**
 * The case store inside a transaction the caller holds: each change is a savepoint, so a refused
 * change leaves the rest of the caller's work in place; all of it commits with the caller's.
 */
export function caseStoreOn(tx: Tx): CaseStore {
  return {
    transaction: (fn) => tx.transaction((sp) => fn(new DrizzleCaseRepo(sp))),
    read: (fn) => fn(new DrizzleCaseRepo(tx)),
  };
}

/**
 * Takes the lock that numbers cases until the caller's transaction ends. A batch of events takes it
 * first, before any ward lock: batches on several workers then queue instead of deadlocking.
 */
export async function lockCaseNumbers(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CASE_NUMBER_LOCK})`);
}

/**
 * Serialises duplicate checks for one ward and service until the caller's transaction ends, so two
 * identical messages at once cannot both find no open case and both open one.
 */
export async function lockWardService(tx: Tx, wardId: string, serviceId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`dup:${wardId}:${serviceId}`}))`);
}

/** An open case as a duplicate check compares and names it. */
export interface OpenCaseBrief {
  id: CaseId;
  reference: string;
  serviceId: ReturnType<typeof asServiceId> | null;
  wardId: ReturnType<typeof asWardId> | null;
  location: string | null;
  status: CaseStatus;
}

/**
 * The open cases of each ward and service since `since`, newest first, at most `limit` a pair (what a
 * duplicate check compares a new report with), keyed `ward/service`; one statement for all pairs,
 * reading only what the check needs (a busy ward has many open cases, and their texts are long).
 */
export async function recentOpenCasesByPair(
  db: Tx, pairs: { wardId: string; serviceId: string }[], statuses: readonly CaseStatus[], since: Date, limit: number,
): Promise<Map<string, OpenCaseBrief[]>> {
  const out = new Map<string, OpenCaseBrief[]>();
  const unique = [...new Map(pairs.map((p) => [`${p.wardId}/${p.serviceId}`, p])).values()];
  if (!unique.length) return out;
  const array = (xs: string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;
  const rows = await db.execute<{ id: string; seq: number; ward_id: string; service_id: string; location: string | null; status: CaseStatus }>(sql`
    select c.id, c.seq, c.ward_id, c.service_id, c.location, c.status
    from unnest(${array(unique.map((p) => p.wardId))}, ${array(unique.map((p) => p.serviceId))}) as p(w, s)
    cross join lateral (select id, seq, ward_id, service_id, location, status from ${cases}
      where ward_id = p.w and service_id = p.s and status in ${[...statuses]} and created_at >= ${since.toISOString()}::timestamptz
      order by seq desc limit ${limit}) c
    order by c.seq desc`);
  for (const r of rows as unknown as { id: string; seq: number; ward_id: string; service_id: string; location: string | null; status: CaseStatus }[]) {
    const k = `${r.ward_id}/${r.service_id}`;
    const brief: OpenCaseBrief = {
      id: asCaseId(r.id), reference: formatReference(Number(r.seq)), serviceId: asServiceId(r.service_id), wardId: asWardId(r.ward_id), location: r.location, status: r.status,
    };
    const list = out.get(k);
    if (list) list.push(brief);
    else out.set(k, [brief]);
  }
  return out;
}

export function createCaseStore(db: Db): CaseStore {
  return {
    transaction: (fn) => db.transaction((tx) => fn(new DrizzleCaseRepo(tx))),
    read: (fn) => fn(new DrizzleCaseRepo(db)),
  };
}
