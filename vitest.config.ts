import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Workspace packages export their TypeScript source under the `development` condition,
// which Vite applies in tests, so nothing needs building first.
function project(name: string, dir: string, timeouts: { testTimeout?: number; hookTimeout?: number } = {}): TestProjectInlineConfiguration {
  return {
    test: {
      name,
      // Absolute, so `npm test -w <package>` (run from the package folder) finds the same files.
      root: fileURLToPath(new URL(`${dir}/`, import.meta.url)),
      include: ['src/**/*.test.ts'],
      testTimeout: timeouts.testTimeout ?? 20_000,
      hookTimeout: timeouts.hookTimeout ?? 60_000,
    },
  };
}

export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL('infra/test/global-setup.ts', import.meta.url))],
    projects: [
      project('@girlycrea/db', 'packages/db'),
      project('@girlycrea/cache', 'packages/cache'),
      project('@girlycrea/mailer', 'packages/mailer'),
      project('@girlycrea/observability', 'packages/observability'),
      project('@girlycrea/api', 'apps/api'),
      project('@girlycrea/infra', 'infra', { testTimeout: 120_000, hookTimeout: 900_000 }),
      project('@girlycrea/e2e', 'e2e', { testTimeout: 60_000, hookTimeout: 600_000 }),
    ],
  },
});
