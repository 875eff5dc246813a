import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.js';
import { createMetrics } from '../../../src/web/metrics.js';
import { createWebApp } from '../../../src/web/server.js';

describe('the front door on a busy machine', () => {
  it('waits for a plugin that takes longer than fastify\'s default 10 s to register, then serves it', async () => {
    const slow = async (app: Parameters<NonNullable<Parameters<typeof createWebApp>[0]['plugins']>[number]>[0]) => {
      await new Promise((resolve) => setTimeout(resolve, 10_500));
      app.get('/slow', async () => ({ loaded: true }));
    };
    const app = await createWebApp({ logger: createLogger('silent'), metrics: createMetrics(), readiness: [], plugins: [slow] });
    try {
      const r = await app.inject({ method: 'GET', url: '/slow' });
      expect([r.statusCode, r.json()]).toEqual([200, { loaded: true }]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
