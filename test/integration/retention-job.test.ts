import { describe, expect, it } from 'vitest';
import * as auditRepo from '../../src/db/audit-repo.js';
import { startRetentionJob } from '../../src/jobs/retention-job.js';
import { createLogger } from '../../src/shared/logger.js';
import { redisTestUrl, uniquePrefix } from '../support/test-db.js';

describe('the daily retention job', () => {
  it('is scheduled every day at 03:30 council time and runs retention when its job comes', async () => {
    const runs: Date[] = [];
    const at = new Date('2026-12-03T03:30:00Z');
    const job = await startRetentionJob({
      redisUrl: redisTestUrl(), prefix: uniquePrefix('retention'), zone: 'Europe/London', logger: createLogger('silent'), now: () => at,
      run: async (now) => { runs.push(now); return { redacted: 0 }; },
    });
    try {
      const schedulers = await job.queue.getJobSchedulers();
      expect(schedulers.map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz }))).toEqual([{ key: 'daily-retention', pattern: '30 3 * * *', tz: 'Europe/London' }]);
      await job.queue.add('now', {});
      const deadline = Date.now() + 15_000;
      while (!runs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(runs).toEqual([at]);
    } finally {
      await job.stop();
    }
  }, 30_000);

  it('offers no way to change or delete audit entries (the database refuses them too: audit-log.test.ts)', () => {
    expect(Object.keys(auditRepo).sort()).toEqual(['latestAudit', 'listAudit', 'recordAudit']);
  });
});
