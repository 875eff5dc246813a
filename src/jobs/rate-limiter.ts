import type { Redis } from 'ioredis';

/**
 * A shared rate limiter in Redis (GCRA: a steady rate with a small burst), so every worker
 * process respects the same platform limits. `take` returns 0 when the message may go now,
 * otherwise how many milliseconds to wait. Redis' own clock is used, so workers agree.
 */
const GCRA = `
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local allow_at = tat - interval * (burst - 1)
if allow_at > now then return allow_at - now end
local new_tat = tat + interval
redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now + interval))
return 0`;

export interface RateRule {
  /** The limit's key, e.g. `slack:C123` or `teams-tenant:abc`. */
  key: string;
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** Takes one slot under every rule, or none: returns the longest wait when any rule says wait. */
  async take(rules: RateRule[]): Promise<number> {
    let wait = 0;
    for (const r of rules) {
      const w = Number(await this.redis.eval(GCRA, 1, `${this.prefix}:rl:${r.key}`, String(1000 / r.perSecond), String(r.burst)));
      wait = Math.max(wait, w);
      if (wait > 0) break;
    }
    return wait;
  }
}
