import { run } from '../process.js';
import { ROOT } from '../paths.js';

/** Production builds of every workspace (turbo cache makes reruns fast); the storefront bakes `apiOrigin` into its rewrites. */
export async function buildAll(apiOrigin: string): Promise<void> {
  await run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: ROOT,
    // A local build: the legal pages may show placeholders for the seller's identity.
    env: { ...process.env, API_ORIGIN: apiOrigin, NODE_ENV: 'production', LEGAL_PLACEHOLDERS: 'allow' },
  });
}
