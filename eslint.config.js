import js from '@eslint/js';
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const lwcComponents = 'force-app/**/lwc/**/*.js';

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
    ignores: [lwcComponents, 'force-app/**/aura/**'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  // The service meets the local org only over the network: it must never import it.
  {
    files: ['service/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pryzm/localorg', '**/localorg/**'],
              message: 'The service talks to the local org over HTTP and gRPC only.',
            },
          ],
        },
      ],
    },
  },
  // Lightning Web Components: Salesforce's recommended LWC rules.
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: [lwcComponents] })),
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
