import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The storefront's App Router folder. */
const APP_DIR = fileURLToPath(new URL('../../../apps/web/app/', import.meta.url));

/** One page of the App Router: its route (`/admin/commandes/[id]`) and whether it has dynamic segments. */
export interface PageRoute {
  route: string;
  isDynamic: boolean;
}

/**
 * Every page (`page.tsx`) under `app/<prefix>`, read from the filesystem so a page added later is
 * found without editing any test. Private folders (`_components`) hold no pages and are skipped;
 * route groups (`(…)`) add nothing to the URL.
 */
export async function pageRoutes(prefix: string): Promise<PageRoute[]> {
  const entries = await readdir(`${APP_DIR}${prefix}`, { recursive: true, withFileTypes: true });
  const routes = entries
    .filter((entry) => entry.isFile() && /^page\.(tsx|ts|jsx|js|mdx)$/.test(entry.name))
    .map((entry) => entry.parentPath.slice(APP_DIR.length).split('/').filter(Boolean))
    .filter((segments) => !segments.some((segment) => segment.startsWith('_')))
    .map((segments) => `/${segments.filter((segment) => !/^\(.+\)$/.test(segment)).join('/')}`);
  return [...new Set(routes)].sort().map((route) => ({ route, isDynamic: route.includes('[') }));
}

/** Whether `path` (`/admin/commandes/8f0…`) is an instance of `route` (`/admin/commandes/[id]`). */
export function matchesRoute(route: string, path: string): boolean {
  const pattern = route
    .split('/')
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return '(?:/[^/?#]+)*';
      if (/^\[\.\.\..+\]$/.test(segment)) return '(?:/[^/?#]+)+';
      if (/^\[.+\]$/.test(segment)) return '/[^/?#]+';
      return segment ? `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` : '';
    })
    .join('');
  return new RegExp(`^${pattern}/?$`).test(path);
}
