import type { Db } from '../../db/client.js';
import { buildDashboardStatsBatch, dashboardStatsState, type DashboardStatsState } from '../../db/dashboard-stats-build.js';
import type { Logger } from '../../shared/logger.js';

/**
 * Builds the dashboards' rollup in the background of a web process, batch after batch, when it is
 * missing (a new database, or an upgrade that changed it): started when the tracker starts, and
 * again by a dashboard request should a run have stopped. Pages wait a moment for a small build
 * to finish, and otherwise say the figures are being prepared.
 */
export interface StatsRunner {
  /** Starts a run unless the rollup is ready or a run is under way. */
  start(): void;
  /** The rollup's state, after waiting up to `waitMs` for a run under way (started if need be) to finish. */
  ready(waitMs: number): Promise<DashboardStatsState>;
  /** Stops after the batch under way. */
  stop(): Promise<void>;
}

export function createStatsRunner(o: { db: Db; zone: string; logger: Logger; batchCases?: number; pauseMs?: number }): StatsRunner {
  let running: Promise<void> | null = null;
  let stopped = false;
  const log = o.logger.child({ component: 'dashboard-stats' });
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, o.pauseMs ?? 20));

  async function run(): Promise<void> {
    let state = await dashboardStatsState(o.db, o.zone);
    if (state.kind === 'ready') return;
    log.info('building the dashboards\' figures from every case, in batches; case writes carry on meanwhile');
    let reported = -1;
    while (!stopped && state.kind !== 'ready') {
      state = await buildDashboardStatsBatch(o.db, o.zone, { batchCases: o.batchCases });
      if (state.kind === 'building') {
        const tenth = Math.floor((10 * state.done) / Math.max(1, state.total));
        if (tenth > reported) { reported = tenth; log.info({ done: state.done, total: state.total }, 'dashboards\' figures: building'); }
        await pause();
      }
    }
    if (state.kind === 'ready') log.info('dashboards\' figures are ready');
  }

  const start = () => {
    if (running || stopped) return;
    running = run().catch((err: unknown) => {
      log.warn({ code: (err as { code?: string }).code ?? 'unknown' }, 'building the dashboards\' figures stopped; the next dashboard request starts it again');
    }).finally(() => { running = null; });
  };

  return {
    start,
    async ready(waitMs) {
      const state = await dashboardStatsState(o.db, o.zone);
      if (state.kind === 'ready') return state;
      start();
      const current = running;
      if (current) await Promise.race([current, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
      return dashboardStatsState(o.db, o.zone);
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
