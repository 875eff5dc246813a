import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Modest: tests that run the `wardline` command run the compiled dist/ (global setup builds it
    // when stale), under a second a run; the margin is for a busy shared machine. Tests that start
    // PGlite or kill workers set their own.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    // The database handle refuses use from inside its own transactions, on PostgreSQL too (src/db/handle-guard.ts).
    env: { WARDLINE_DB_GUARD: '1' },
  },
});
