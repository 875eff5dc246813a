import type { Clock } from '../../shared/clock.js';

/** How long a channel's name is trusted before it is looked up again (channels get renamed). */
export const CHANNEL_NAME_TTL_MS = 10 * 60_000;

/**
 * Channel id → name, for listening by name. A name found is kept for a while; a failed lookup
 * (Slack down, rate limited, the bot not yet in the channel) is not kept, so the next event asks
 * again instead of treating the channel as unnamed until restart. Lookups of one channel at the
 * same moment share one call.
 */
export function createChannelNames(lookup: (id: string) => Promise<string | null>, clock: Clock): (id: string) => Promise<string> {
  const known = new Map<string, { name: string; at: number }>();
  const pending = new Map<string, Promise<string>>();
  return (id) => {
    const hit = known.get(id);
    if (hit && clock.now().getTime() - hit.at < CHANNEL_NAME_TTL_MS) return Promise.resolve(hit.name);
    const inFlight = pending.get(id);
    if (inFlight) return inFlight;
    const asked = lookup(id).catch(() => null).then((name) => {
      pending.delete(id);
      if (name !== null) known.set(id, { name, at: clock.now().getTime() });
      return name ?? hit?.name ?? '';
    });
    pending.set(id, asked);
    return asked;
  };
}
