import type { CaseEventType, CaseStatus } from '../shared/enums.js';

/**
 * FixMyStreet's update statuses (its Open311 extension, lower case): what each RM action on the
 * timeline means to a resident.
 */
export function fmsStatusOf(type: CaseEventType, to: CaseStatus | null): string {
  switch (type) {
    case 'acknowledged': return 'investigating';
    case 'resolved': return 'fixed';
    case 'closed': return 'closed';
    case 'reopened': return 'open';
    case 'info_requested': return 'in_progress';
    default: return to === 'resolved' || to === 'closed' ? 'fixed' : 'in_progress';
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
