import { defineConfig } from 'vitest/config';
import DatabaseSummaryReporter from './scripts/test/database-summary-reporter.ts';

// Vitest owns the Node.js code (service, local org, package checks); Jest (sfdx-lwc-jest) owns
// force-app's components. Each runner only looks at its own roots.
export default defineConfig({
  test: {
    reporters: ['default', new DatabaseSummaryReporter()],
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
