import { DateTime } from 'luxon';
import { z } from 'zod';
import { URGENCIES, type Urgency } from '../shared/enums.js';
import type { ServiceId } from '../shared/ids.js';
import type { WorkingCalendar } from './working-time.js';

/**
 * SLA policies per service × urgency. Defaults follow UK council norms for members' enquiries:
 * acknowledge by the end of the next working day and respond within 10 working days; urgent:
 * acknowledge within 2 working hours and respond within 1 working day. Urgent hours are counted
 * in working time too (an urgent case raised at 16:30 on Friday is due at 10:30 on Monday);
 * out-of-hours emergencies belong to the council's emergency line, not to a member's enquiry.
 */
export const spanSchema = z.object({ unit: z.enum(['hours', 'days']), amount: z.number().positive().max(365) });
export type Span = z.infer<typeof spanSchema>;

export const slaPolicySchema = z.object({
  serviceId: z.string().min(1),
  urgency: z.enum(URGENCIES),
  acknowledge: spanSchema,
  respond: spanSchema,
  resolve: spanSchema.optional(),
});
export type SlaPolicy = Omit<z.infer<typeof slaPolicySchema>, 'serviceId'> & { serviceId: ServiceId | '*' };

export const DEFAULT_SLA_POLICIES: SlaPolicy[] = [
  { serviceId: '*', urgency: 'normal', acknowledge: { unit: 'days', amount: 1 }, respond: { unit: 'days', amount: 10 } },
  { serviceId: '*', urgency: 'urgent', acknowledge: { unit: 'hours', amount: 2 }, respond: { unit: 'days', amount: 1 } },
];

/** The most specific policy wins: a service's own over the '*' default; later entries over earlier. */
export function pickPolicy(policies: SlaPolicy[], serviceId: ServiceId | '*', urgency: Urgency): SlaPolicy {
  const match = (s: string) => [...policies].reverse().find((p) => p.serviceId === s && p.urgency === urgency);
  const found = match(serviceId) ?? match('*');
  if (found) return found;
  return DEFAULT_SLA_POLICIES.find((p) => p.urgency === urgency)!;
}

const addSpan = (cal: WorkingCalendar, from: Date, span: Span) =>
  span.unit === 'hours' ? cal.addWorkingHours(from, span.amount) : cal.addWorkingDays(from, span.amount);

export function computeDueTimes(
  cal: WorkingCalendar, policies: SlaPolicy[], input: { serviceId: ServiceId | '*'; urgent: boolean; openedAt: Date },
): { acknowledgeBy: Date; respondBy: Date; resolveBy: Date | null } {
  const p = pickPolicy(policies, input.serviceId, input.urgent ? 'urgent' : 'normal');
  return {
    acknowledgeBy: addSpan(cal, input.openedAt, p.acknowledge),
    respondBy: addSpan(cal, input.openedAt, p.respond),
    resolveBy: p.resolve ? addSpan(cal, input.openedAt, p.resolve) : null,
  };
}

const formatted = new Map<string, string>();

/**
 * ISO 8601 with the zone's offset, e.g. 2026-12-29T17:00:00.000+00:00. Remembered for the last
 * few hundred instants: a batch of cases shares its due times, and each message about a case
 * writes them again, while working out a zone's offset is the dearest step of opening a case.
 */
export function formatLondonIso(d: Date, zone = 'Europe/London'): string {
  const key = `${zone}|${d.getTime()}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = DateTime.fromJSDate(d, { zone }).toISO({ includeOffset: true }) ?? 'invalid date';
    if (formatted.size >= 512) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}
