import { describe, expect, it } from 'vitest';
import * as auditRepo from '../../src/db/audit-repo.js';
import { startRetentionJob } from '../../src/jobs/retention-job.js';
import { createLogger } from '../../src/shared/logger.js';
import { redisTestUrl, uniquePrefix } from '../support/test-db.js';
import { runNow, schedulersOf } from '../support/scheduled-job.js';

describe('the daily retention job', () => {
  it('is scheduled every day at 03:30 council time and runs retention when its job comes', async () => {
    const runs: Date[] = [];
    const at = new Date('2026-12-03T03:30:00Z');
    const job = await startRetentionJob({
      redisUrl: redisTestUrl(), prefix: uniquePrefix('retention'), zone: 'Europe/London', logger: createLogger('silent'), now: () => at,
      run: async (now) => { runs.push(now); return { redacted: 0 }; },
    });
    try {
      expect(await schedulersOf(job.queue)).toEqual([{ key: 'daily-retention', pattern: '30 3 * * *', tz: 'Europe/London' }]);
      await runNow(job.queue, runs);
      expect(runs).toEqual([at]);
    } finally {
      await job.stop();
    }
  }, 30_000);

  it('offers no way to change or delete audit entries (the database refuses them too: audit-log.test.ts)', () => {
    expect(Object.keys(auditRepo).sort()).toEqual(['latestAudit', 'listAudit', 'recordAudit']);
  });
});
