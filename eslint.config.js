// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'web/dist/',
      '.data/',
      'cdk.out/',
      'infra/cdk.out/',
      'bench/results/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  // Type-checked rules (typescript-eslint's recommendedTypeChecked) on every TypeScript file;
  // the plain JS files (scripts, this config) are linted without types.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['error'] }],
      // Config is read in one module only (server/src/config.ts).
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through server/src/config.ts',
        },
      ],
    },
  },
  {
    files: [
      'server/src/config.ts',
      'scripts/**',
      'test/**',
      'infra/**',
      '**/*.test.ts',
      '.ci/**',
      'server/src/local/cognito-child.ts',
    ],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
  {
    files: ['server/src/bot/**', 'server/src/admin-cli.ts', 'server/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // A fire-and-forget promise must say what happens when it fails: `void p` is not enough.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      // Rejections pass on what they caught (an AbortSignal's reason, a native error): still
      // refused are literals and objects that are not errors.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // Methods that implement a Promise-returning interface may have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read untyped JSON bodies (supertest's `body: any`) and the CDK's template objects;
    // asserting on them is the test, so the no-unsafe-* family is off there only.
    files: ['test/**', '**/*.test.ts', 'infra/test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
