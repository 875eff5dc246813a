import type { Redis } from 'ioredis';

/**
 * A shared rate limiter in Redis (GCRA: a steady rate with a small burst), so every worker
 * process respects the same platform limits. `take` returns 0 when the message may go now,
 * otherwise how many milliseconds to wait. Redis' own clock is used, so workers agree.
 */
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i * 2 - 1])
  local burst = tonumber(ARGV[i * 2])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  tats[i] = tat
  local allow_at = tat - interval * (burst - 1)
  if allow_at - now > wait then wait = allow_at - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i * 2 - 1])
  local new_tat = tats[i] + interval
  redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now + interval))
end
return 0`;

export interface RateRule {
  /** The limit's key, e.g. `slack:C123` or `teams-tenant:abc`. */
  key: string;
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /**
   * Takes one slot under every rule, or none (atomically, in one script): returns the longest wait
   * when any rule says wait, so a message held by one limit uses up no other.
   */
  async take(rules: RateRule[]): Promise<number> {
    if (!rules.length) return 0;
    const keys = rules.map((r) => `${this.prefix}:rl:${r.key}`);
    const args = rules.flatMap((r) => [String(1000 / r.perSecond), String(r.burst)]);
    return Number(await this.redis.eval(GCRA, keys.length, ...keys, ...args));
  }
}
