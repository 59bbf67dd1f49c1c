import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bounds for a hung test, not timing assertions: generous, because CI's 2 cores also run
    // the private Tor networks of test/tor and Chromium at the same time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores in CI: keep parallelism modest so worker-thread tests do not starve.
    maxWorkers: 2,
  },
});
