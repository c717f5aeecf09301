import { run } from '../process.js';
import { ROOT } from '../paths.js';

/** Production builds of every workspace (turbo cache makes reruns fast); the storefront bakes `apiOrigin` into its rewrites. */
export async function buildAll(apiOrigin: string): Promise<void> {
  await run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: ROOT,
    env: { ...process.env, API_ORIGIN: apiOrigin, NODE_ENV: 'production' },
  });
}
