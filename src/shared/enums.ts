/** Every enum is one tuple: the TS union, the pgEnum and the z.enum derive from it. */
export const ROLES = ['councillor', 'rm', 'wac', 'senior_officer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['ward', 'cluster', 'district', 'city'] as const;
export type Scope = (typeof SCOPES)[number];

export const CASE_STATUSES = ['new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'resolved', 'reopened', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PLATFORMS = ['slack', 'teams', 'local'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CASE_EVENT_TYPES = [
  'opened', 'routed', 'unrouted', 'acknowledged', 'update', 'info_requested', 'info_provided', 'resolved',
  'reopened', 'reassigned', 'rerouted', 'closed', 'message_mirrored', 'watcher_added', 'escalated', 'reminded',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const THREAD_OWNERS = ['councillor', 'rm', 'notice'] as const;
export type ThreadOwner = (typeof THREAD_OWNERS)[number];

export const INBOUND_STATUSES = ['pending', 'done', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
