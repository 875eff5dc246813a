import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/jobs/rate-limiter.js';
import { redisTestUrl, uniquePrefix } from '../support/test-db.js';

describe('the shared rate limiter (Redis)', () => {
  let redis: Redis;
  beforeAll(() => { redis = new Redis(redisTestUrl(), { maxRetriesPerRequest: null }); });
  afterAll(() => { redis?.disconnect(); });

  it('lets a burst through, then says how long to wait', async () => {
    const limiter = new RateLimiter(redis, uniquePrefix('rl'));
    const rule = [{ key: 'slack:C1', perSecond: 1, burst: 2 }];
    expect(await limiter.take(rule)).toBe(0);
    expect(await limiter.take(rule)).toBe(0);
    const wait = await limiter.take(rule);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
  });

  it('takes a slot under every rule or under none', async () => {
    const limiter = new RateLimiter(redis, uniquePrefix('rl'));
    const tenant = { key: 'teams:tenant', perSecond: 1, burst: 1 };
    expect(await limiter.take([{ key: 'teams:a', perSecond: 7, burst: 7 }, tenant])).toBe(0);
    // The tenant is full: the conversation's slot must not be used up by a message that cannot go.
    for (let i = 0; i < 20; i++) expect(await limiter.take([{ key: 'teams:b', perSecond: 7, burst: 1 }, tenant])).toBeGreaterThan(0);
    expect(await limiter.take([{ key: 'teams:b', perSecond: 7, burst: 1 }])).toBe(0);
  });
});
