import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const preset = require('@lwc/jest-preset');

/**
 * Jest for the console's components (LWC OSS, namespace `pryzm`, light DOM), next to the root
 * configuration that runs the Salesforce package's components:
 *
 *   npx jest -c service/console/jest.config.js
 *
 * `pryzm/<name>` resolves to src/modules/pryzm/<name>/<name>.js as the console's rollup build
 * resolves it; `console-test-support` is test-support/mount.js. Every test starts from an empty
 * page with sa11y's `toBeAccessible` (test-support/setup.js).
 */
export default {
  rootDir: dirname(new URL(import.meta.url).pathname),
  roots: ['<rootDir>/src'],
  testEnvironment: preset.testEnvironment,
  resolver: preset.resolver,
  moduleFileExtensions: preset.moduleFileExtensions,
  transform: preset.transform,
  setupFilesAfterEnv: [...preset.setupFilesAfterEnv, '<rootDir>/test-support/setup.js'],
  snapshotSerializers: preset.snapshotSerializers,
  testMatch: preset.testMatch,
  moduleNameMapper: {
    '^pryzm/(\\w+)$': '<rootDir>/src/modules/pryzm/$1/$1',
    '^console-test-support$': '<rootDir>/test-support/mount.js',
  },
};
