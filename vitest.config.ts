import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import DatabaseSummaryReporter from './scripts/test/database-summary-reporter.ts';
import SlowestFirstSequencer from './scripts/test/slowest-first-sequencer.ts';

// Vitest owns the Node.js code (service, local org, package checks); Jest (sfdx-lwc-jest) owns
// force-app's components. Each runner only looks at its own roots.
export default defineConfig({
  test: {
    reporters: ['default', new DatabaseSummaryReporter()],
    // One test file per core at a time. Vitest's default leaves a core free (cores - 1: a single
    // worker on CI's two), but most files spend their time waiting on service processes, local
    // orgs, PostgreSQL, Chromium and timers, so one file at a time left a core idle for most of
    // the run. All three projects share these workers.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        test: {
          name: 'service',
          root: 'service',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['localorg/**', 'node_modules/**'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'localorg',
          root: 'service/localorg',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'package',
          root: 'scripts/package-checks',
          include: ['**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
