import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

// Jest only runs the Lightning Web Component tests; Vitest owns everything under service/.
export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  modulePathIgnorePatterns: ['<rootDir>/.localorg'],
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!**/__tests__/**'],
  coverageThreshold: {
    global: { lines: 90 },
  },
};
