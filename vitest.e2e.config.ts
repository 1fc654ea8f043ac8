// Browser (E2E) tests: Playwright (playwright-core) driving Debian's /usr/bin/chromium.
// One file at a time: each file starts its own server and browser.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    exclude: [...configDefaults.exclude, '**/dist/**'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
