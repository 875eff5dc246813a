import type { Clock } from '../../shared/clock.js';

/** How long a channel's name is trusted before it is looked up again (channels get renamed). */
export const CHANNEL_NAME_TTL_MS = 10 * 60_000;
/**
 * How long a failed lookup (Slack down or rate limited, the bot not in the channel, a channel it
 * cannot see) stands before the next event asks again: short, so a channel is not treated as
 * unnamed for long, but long enough that a busy channel does not ask Slack once per event while
 * Slack keeps refusing (under load that was one more Web API call for every message).
 */
export const FAILED_LOOKUP_RETRY_MS = 30_000;

/**
 * Channel id → name, for listening by name. A name found is kept for a while; a failed lookup
 * is kept only briefly (the last name known, if any, is used meanwhile), so a later event asks
 * again instead of treating the channel as unnamed until restart. Lookups of one channel at the
 * same moment share one call.
 */
export function createChannelNames(lookup: (id: string) => Promise<string | null>, clock: Clock): (id: string) => Promise<string> {
  /** The name to use (a failed lookup keeps the last one known), until when. */
  const known = new Map<string, { name: string; until: number }>();
  const pending = new Map<string, Promise<string>>();
  return (id) => {
    const hit = known.get(id);
    if (hit && clock.now().getTime() < hit.until) return Promise.resolve(hit.name);
    const inFlight = pending.get(id);
    if (inFlight) return inFlight;
    const asked = lookup(id).catch(() => null).then((found) => {
      pending.delete(id);
      const name = found ?? hit?.name ?? '';
      known.set(id, { name, until: clock.now().getTime() + (found !== null ? CHANNEL_NAME_TTL_MS : FAILED_LOOKUP_RETRY_MS) });
      return name;
    });
    pending.set(id, asked);
    return asked;
  };
}
