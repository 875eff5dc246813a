import { describe, expect, it } from 'vitest';
import { RETRAIN_PATTERN, startIntakeRetrainJob, type RetrainRunSummary } from '../../src/jobs/intake-retrain-job.js';
import { createLogger } from '../../src/shared/logger.js';
import { redisTestUrl, uniquePrefix } from '../support/test-db.js';
import { runNow, schedulersOf } from '../support/scheduled-job.js';

describe('the weekly intake retrain job', () => {
  it('is scheduled every Sunday at 02:00 council time and retrains when its job comes', async () => {
    const runs: Date[] = [];
    const at = new Date('2026-12-06T02:00:00Z');
    const job = await startIntakeRetrainJob({
      redisUrl: redisTestUrl(), prefix: uniquePrefix('retrain'), zone: 'Europe/London', logger: createLogger('silent'), now: () => at,
      run: async (now): Promise<RetrainRunSummary> => { runs.push(now); return { outcome: 'nothing_new', inUse: 'shipped', councilExamples: 0 }; },
    });
    try {
      expect(await schedulersOf(job.queue)).toEqual([{ key: 'weekly-intake-retrain', pattern: '0 2 * * 0', tz: 'Europe/London' }]);
      expect(RETRAIN_PATTERN).toBe('0 2 * * 0');
      await runNow(job.queue, runs);
      expect(runs).toEqual([at]);
    } finally {
      await job.stop();
    }
  }, 30_000);
});
