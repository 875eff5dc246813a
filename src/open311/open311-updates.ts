import type { CaseEventType, CaseStatus } from '../shared/enums.js';

/**
 * FixMyStreet's update statuses (OPEN and CLOSED, and its additional states such as INVESTIGATING,
 * IN_PROGRESS and FIXED, written as its specification writes them): what each RM action on the
 * timeline means to a resident.
 */
export function fmsStatusOf(type: CaseEventType, to: CaseStatus | null): string {
  switch (type) {
    case 'acknowledged': return 'INVESTIGATING';
    case 'resolved': return 'FIXED';
    case 'closed': return 'CLOSED';
    case 'reopened': return 'OPEN';
    case 'info_requested': return 'IN_PROGRESS';
    default: return to === 'resolved' || to === 'closed' ? 'FIXED' : 'IN_PROGRESS';
  }
}

const WORDS: Partial<Record<CaseEventType, string>> = {
  acknowledged: 'The council has picked this up.',
  resolved: 'The council has marked this fixed.',
  closed: 'The council has closed this report.',
  reopened: 'The report has been reopened.',
};

export function updateText(type: CaseEventType, data: Record<string, unknown>): string {
  const text = typeof data.text === 'string' ? data.text.trim() : '';
  return text || WORDS[type] || '';
}
