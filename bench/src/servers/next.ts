import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { ROOT } from '../paths.js';
import { childEnv, startService, waitForHttp, type Service } from '../process.js';

const WEB_DIR = join(ROOT, 'apps/web');

/** The storefront's app routes, from the production build's manifest (e.g. "/", "/produits/[slug]"). */
export async function storefrontRoutes(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(WEB_DIR, '.next/app-path-routes-manifest.json'), 'utf8')) as Record<string, string>;
  return Object.values(manifest).filter((route) => !route.startsWith('/_'));
}

/** The product page route: "/produits/[slug]" or the like (one dynamic segment under a product prefix). */
export function findProductRoute(routes: string[]): string | undefined {
  return routes.find((route) => /^\/(produits?|products?|p)\/\[[a-zA-Z]+\]$/.test(route));
}

/** Starts `next start` for apps/web against the bench API. */
export async function startNext(cleanup: Cleanup, apiOrigin: string): Promise<{ origin: string; service: Service; stop: () => Promise<void> }> {
  const buildId = await readFile(join(WEB_DIR, '.next/BUILD_ID'), 'utf8').catch(() => undefined);
  if (!buildId) throw new Error('apps/web/.next/BUILD_ID manque : pas de build de production (un `next dev` ou un build concurrent l’a peut-être effacé)');
  const nextBin = createRequire(join(WEB_DIR, 'package.json')).resolve('next/dist/bin/next');
  const port = await freePort();
  const service = startService('next start', process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: childEnv({ NODE_ENV: 'production', API_ORIGIN: apiOrigin, NEXT_TELEMETRY_DISABLED: '1' }),
  });
  const stop = cleanup.defer('next start', () => service.stop());
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/`, service, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, service, stop };
}
