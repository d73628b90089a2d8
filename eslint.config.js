// Type-aware lint for every TypeScript file; Playwright's recommended rules for specs, pages and fixtures.
import js from '@eslint/js';
import playwright from 'eslint-plugin-playwright';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'allure-report/',
      'allure-results/',
      'playwright-report/',
      'test-results/',
      'blob-report/',
      'reports/',
      '.lab/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test registers tests synchronously; the promise it returns is the runner's to await.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts', 'pages/**/*.ts', 'fixtures/**/*.ts', 'clients/**/*.ts'],
    ...playwright.configs['flat/recommended'],
    rules: {
      ...playwright.configs['flat/recommended'].rules,
      'playwright/no-wait-for-timeout': 'error',
      'playwright/no-force-option': 'error',
      'playwright/prefer-web-first-assertions': 'error',
    },
  },
  {
    // Page objects and fixtures branch on what the screen shows; specs keep to one path.
    files: ['pages/**/*.ts', 'fixtures/**/*.ts', 'clients/**/*.ts'],
    // A journey step holds the steps of its screens: the nesting is the report's outline.
    rules: { 'playwright/no-conditional-in-test': 'off', 'playwright/no-nested-step': 'off' },
  },
  {
    // The profile doctor walks screens nobody has described yet: it branches on what it finds.
    files: ['tests/doctor.spec.ts'],
    rules: { 'playwright/no-conditional-in-test': 'off', 'playwright/no-conditional-expect': 'off' },
  },
  {
    // The example React login UI runs in the browser.
    files: ['examples/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['lab/webapp/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
  {
    files: ['*.js', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
