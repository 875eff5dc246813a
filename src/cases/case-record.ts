import type { CaseEventType, CaseStatus, Platform, ThreadOwner, Urgency } from '../shared/enums.js';
import type { CaseId, PersonId, ServiceId, WardId } from '../shared/ids.js';
import type { RouteDecision } from '../routing/routing-table.js';
import type { CaseScope } from './authorisation.js';

/** A case as the core sees it; the store maps it to and from rows. */
export interface CaseRecord {
  id: CaseId;
  seq: number;
  reference: string;
  status: CaseStatus;
  statusBeforeInfo: CaseStatus | null;
  serviceId: ServiceId | null;
  wardId: WardId | null;
  urgency: Urgency;
  topic: string | null;
  location: string | null;
  summary: string;
  description: string;
  raisedById: PersonId;
  assigneeId: PersonId | null;
  rmId: PersonId | null;
  deputyId: PersonId | null;
  routing: RouteDecision | null;
  routingVersion: number | null;
  sourcePlatform: Platform | null;
  acknowledgeBy: Date | null;
  respondBy: Date | null;
  resolveBy: Date | null;
  pausedAt: Date | null;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  escalationLevel: number;
  duplicateOfId: CaseId | null;
  watcherIds: PersonId[];
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CaseEvent {
  id: number;
  caseId: CaseId;
  type: CaseEventType;
  actorId: PersonId | null;
  at: Date;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  data: Record<string, unknown>;
}

export type NewCase = Omit<CaseRecord, 'id' | 'seq' | 'reference' | 'watcherIds' | 'rowVersion'>;
export type CasePatch = Partial<Omit<CaseRecord, 'id' | 'seq' | 'reference' | 'watcherIds' | 'rowVersion' | 'createdAt' | 'raisedById'>>;
export type NewCaseEvent = Omit<CaseEvent, 'id' | 'caseId'>;

/** An outbound message to deliver after the change commits (the outbox). */
export interface OutboundMessage {
  idempotencyKey: string;
  platform: Platform;
  target: string;
  payload: Record<string, unknown>;
}

/** A chat thread that belongs to a case: the councillor's (where they raised it) or the RM's card. */
export interface ConversationLink {
  platform: Platform;
  channelId: string;
  threadId: string;
  messageId: string | null;
  caseId: CaseId;
  owner: ThreadOwner;
  personId: PersonId | null;
  cardKey: string | null;
}

/** Where a case was raised in chat; the confirmation card (one for several cases) is `cardKey`. */
export interface ChatOrigin {
  platform: Platform;
  channelId: string;
  threadId: string;
  cardKey: string;
}

export interface CaseFilter {
  wardIds?: string[];
  serviceIds?: string[];
  assigneeId?: string;
  raisedOrWatchedBy?: string;
  /** Only the cases a person works with (see `caseScopeOf`). */
  scope?: CaseScope;
  statuses?: CaseStatus[];
  limit?: number;
}

/** A case to open with its `opened` event and, raised in chat, the thread it came from. */
export interface CaseToOpen {
  caseRow: NewCase;
  event: NewCaseEvent;
  link: Omit<ConversationLink, 'caseId'> | null;
}

export interface OpenedCase {
  record: CaseRecord;
  event: CaseEvent;
  links: ConversationLink[];
}

/** What the case services need of storage, inside one transaction. */
export interface CaseRepo {
  getCase(id: CaseId, opts?: { forUpdate?: boolean }): Promise<CaseRecord | null>;
  getCaseByReference(seq: number): Promise<CaseRecord | null>;
  /** Several cases at once, in no particular order; ids with no case are left out. */
  getCases(ids: CaseId[]): Promise<CaseRecord[]>;
  /** Opens cases together, numbered in the order given; each with its `opened` event and its chat thread. */
  insertCases(items: CaseToOpen[], at: Date): Promise<OpenedCase[]>;
  updateCase(id: CaseId, patch: CasePatch): Promise<CaseRecord>;
  appendEvent(id: CaseId, e: NewCaseEvent): Promise<CaseEvent>;
  addWatcher(id: CaseId, personId: PersonId): Promise<boolean>;
  listEvents(id: CaseId): Promise<CaseEvent[]>;
  listCases(filter: CaseFilter): Promise<CaseRecord[]>;
  enqueue(messages: OutboundMessage[], caseId: CaseId | null, at: Date): Promise<void>;
  /** The messages of several cases in one write. */
  enqueueMany(groups: { messages: OutboundMessage[]; caseId: CaseId | null }[], at: Date): Promise<void>;
  insertLink(link: ConversationLink, at: Date): Promise<void>;
  listLinks(caseId: CaseId): Promise<ConversationLink[]>;
  recordCorrection(c: {
    caseId: CaseId; text: string; originalWardId: string | null; originalServiceId: string | null;
    correctedWardId: string | null; correctedServiceId: string | null; byId: PersonId; at: Date;
  }): Promise<void>;
}

export interface CaseStore {
  transaction<T>(fn: (repo: CaseRepo) => Promise<T>): Promise<T>;
  read<T>(fn: (repo: CaseRepo) => Promise<T>): Promise<T>;
}
