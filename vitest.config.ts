import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: several tests spawn the real CLI a few times, and a spawn compiles TypeScript.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // The database handle refuses use from inside its own transactions, on PostgreSQL too (src/db/handle-guard.ts).
    env: { WARDLINE_DB_GUARD: '1' },
  },
});
