import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The suites start real servers on loopback; two cores go further with a few forks than many.
    pool: 'forks',
    maxWorkers: 2,
  },
});
