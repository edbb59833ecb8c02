import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

// Jest only runs the Lightning Web Component tests; Vitest owns everything under service/.
export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  modulePathIgnorePatterns: ['<rootDir>/.localorg'],
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!**/__tests__/**'],
  // At least 90% of the lines of every component's JavaScript, not only on average.
  coverageThreshold: {
    global: { lines: 90 },
    './force-app/**/lwc/**/*.js': { lines: 90 },
  },
};
