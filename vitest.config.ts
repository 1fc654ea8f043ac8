// Unit + integration tests (`npm test` runs them twice: on SQLite, then on PostgreSQL).
// The engine is chosen by the test helper from WENMING_TEST_DB; see docs/testing.md.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'packages/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/e2e/**', '**/dist/**'],
    // Child processes isolate native modules (better-sqlite3) and global state best.
    pool: 'forks',
    fileParallelism: true,
    // The CI machines have 2 cores; more workers only add contention (and PostgreSQL connections).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
