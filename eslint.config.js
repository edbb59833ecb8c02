import js from '@eslint/js';
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const lwcComponents = 'force-app/**/lwc/**/*.js';
/** The console's components (LWC OSS, run in the browser). */
const consoleComponents = 'service/console/src/**/*.js';
/** The local org's Lightning pages: stand-ins for Lightning's modules (LWC OSS, in the browser). */
const localOrgComponents = 'service/localorg/src/lightning/components/**/*.js';

const src = './service/src';
const useCases = ['access', 'connections', 'mappings', 'records', 'workspaces'].map(
  (name) => `${src}/${name}`,
);

/** The service's layering and the wall between the service and the local org. */
export const zones = [
  {
    target: `${src}/mapping`,
    from: src,
    except: ['./mapping'],
    message: 'mapping is pure: it imports nothing of the service.',
  },
  ...['outcome', 'crypto', 'events'].map((leaf) => ({
    target: `${src}/${leaf}`,
    from: src,
    except: [`./${leaf}`],
    message: `${leaf} is a leaf: it imports nothing of the service.`,
  })),
  {
    target: `${src}/salesforce`,
    from: [`${src}/store`, `${src}/http`, `${src}/sync`, ...useCases],
    message: 'salesforce knows nothing of the store, the use cases or the HTTP layer.',
  },
  {
    target: `${src}/store`,
    from: [`${src}/salesforce`, `${src}/http`, `${src}/sync`, ...useCases],
    message: 'store is below the use cases: it imports only mapping and config.',
  },
  {
    target: useCases,
    from: [`${src}/http`, `${src}/sync`],
    message: 'Use cases are called by sync and http, never the other way.',
  },
  {
    target: `${src}/sync`,
    from: `${src}/http`,
    message: 'sync is called by http, never the other way.',
  },
  {
    target: `${src}/http`,
    from: `${src}/store`,
    message: 'http answers from the use cases, never from the store.',
  },
  {
    target: src,
    from: './service/localorg',
    message: 'The service talks to the local org over HTTP and gRPC only.',
  },
  {
    target: './service/localorg',
    from: src,
    message: 'The local org knows nothing of the service; they meet over the network.',
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/generated/**',
      '.sfdx/**',
      '.sf/**',
      '.localorg/**',
      'force-app/**/staticresources/**',
    ],
  },
  // The service, the local org, scripts and tests: TypeScript with type-aware rules off for speed.
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ignores: [lwcComponents, consoleComponents, localOrgComponents, 'force-app/**/aura/**'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  // Imports point one way (README, "Layout"): http → sync → use cases → {mapping, salesforce,
  // store}. Each zone names the files it governs (target) and what they must not import (from).
  {
    files: ['service/src/**/*.ts', 'service/localorg/src/**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: { 'import/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }] },
  },
  // Lightning Web Components: Salesforce's recommended LWC rules.
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [lwcComponents] })),
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [consoleComponents] })),
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [localOrgComponents] })),
  {
    files: [consoleComponents, localOrgComponents],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/**/jest-mocks/**/*.js'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      ...jestPlugin.configs['flat/recommended'].rules,
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
);
