import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/.turbo/**', '**/next-env.d.ts', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in config.ts (or a CLI entry point).' },
      ],
    },
  },
  {
    // Entry points and configuration files are where the environment is read.
    files: ['**/config.ts', '**/src/cli/**', 'infra/src/commands/**', 'apps/web/server.mjs', '**/*.test.ts', '**/src/testing.ts', '**/src/**/testing.ts', 'infra/test/**', '**/*.config.ts', '**/*.config.js', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Plain JavaScript entry points run by Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
