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
  ...tseslint.configs.recommended,
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
);
