import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'drizzle', '.wardline', '.tmp', 'test-results', 'src/web/static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/cases/**', 'src/intake/**', 'src/routing/**', 'src/directory/**', 'src/digests/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@slack/*', 'botbuilder*', '@microsoft/*', 'bullmq', 'ioredis', 'postgres', '@electric-sql/*'], message: 'The core stays free of platform, queue and database code.' },
        { group: ['**/bot/**', '**/jobs/**', '**/web/**'], message: 'Dependencies point inward.' },
      ] }],
    },
  },
);
