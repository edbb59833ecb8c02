import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

// Custom Labels resolve to their English values in tests, read from the package's labels file, so
// tests see the text users see (without a module, sfdx-lwc-jest would use the label's name).
const labelsDir = join(import.meta.dirname, 'node_modules', '.cache', 'pryzm-lwc-labels');
mkdirSync(labelsDir, { recursive: true });
const labelsXml = readFileSync(
  join(import.meta.dirname, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'),
  'utf8',
);
const unescape = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
for (const [, body] of labelsXml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
  const name = /<fullName>(\w+)<\/fullName>/.exec(body)[1];
  const value = unescape(/<value>([\s\S]*?)<\/value>/.exec(body)[1]);
  writeFileSync(
    join(labelsDir, `c.${name}.js`),
    `module.exports = { __esModule: true, default: ${JSON.stringify(value)} };\n`,
  );
}

// Jest only runs the Lightning Web Component tests; Vitest owns everything under service/.
export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  modulePathIgnorePatterns: ['<rootDir>/.localorg'],
  moduleNameMapper: {
    ...jestConfig.moduleNameMapper,
    '^@salesforce/label/(c\\.\\w+)$': `${labelsDir}/$1.js`,
  },
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!**/__tests__/**'],
  // At least 90% of the lines of every component's JavaScript, not only on average.
  coverageThreshold: {
    global: { lines: 90 },
    './force-app/**/lwc/**/*.js': { lines: 90 },
  },
};
