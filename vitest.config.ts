import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Bounds for a busy two-core machine, never measurements: many tests start real processes (the CLI,
    // daemons, brokers, databases), which take seconds each when another suite loads both cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The suites start real servers on loopback; two cores go further with a few forks than many.
    pool: 'forks',
    maxWorkers: 2,
  },
});
