import { z } from 'zod';
import type { OutboundMessage } from '../cases/case-record.js';
import { PLATFORMS, THREAD_OWNERS, type Platform } from '../shared/enums.js';

/**
 * What an outbox row asks a chat adapter to do. Cards are rendered when delivered, from the case
 * as it is then, so an edit in place always shows the latest state whatever the order of events.
 */
export const renderSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rm_card'), caseId: z.string(), personId: z.string() }),
  z.object({ kind: z.literal('confirmation'), cardKey: z.string() }),
  z.object({ kind: z.literal('message'), message: z.record(z.string(), z.unknown()) }),
]);
export type RenderSpec = z.infer<typeof renderSpec>;

export const destination = z.discriminatedUnion('kind', [
  /** A direct message with a person; the adapter opens the DM. */
  z.object({ kind: z.literal('person'), personId: z.string() }),
  z.object({ kind: z.literal('channel'), channelId: z.string(), threadId: z.string().nullable() }),
  /** A reply in the thread of a message wardline posted earlier (by its idempotency key). */
  z.object({ kind: z.literal('thread_of'), refKey: z.string() }),
]);
export type Destination = z.infer<typeof destination>;

export const linkSpec = z.object({
  caseIds: z.array(z.string()),
  owner: z.enum(THREAD_OWNERS),
  personId: z.string().nullable(),
  cardKey: z.string().nullable(),
});

export const outboundPayload = z.discriminatedUnion('op', [
  z.object({ op: z.literal('post'), to: destination, render: renderSpec, link: linkSpec.optional() }),
  z.object({ op: z.literal('update'), refKey: z.string(), render: renderSpec }),
]);
export type OutboundPayload = z.infer<typeof outboundPayload>;

/** Outbox rows to one target are delivered in order; a DM's target is the person. */
export const personTarget = (personId: string) => `person:${personId}`;

export function outbound(platform: Platform, target: string, idempotencyKey: string, payload: OutboundPayload): OutboundMessage {
  return { platform, target, idempotencyKey, payload: payload as unknown as Record<string, unknown> };
}

export const rmCardKey = (caseId: string, personId: string) => `rmcard:${caseId}:${personId}`;

export function isPlatform(x: string): x is Platform {
  return (PLATFORMS as readonly string[]).includes(x);
}
