import type { ResponseCache } from '@girlycrea/cache';
import type { Logger } from '@girlycrea/observability/logger';
import { revalidateStorefront } from '../catalog/changes.js';
import { invalidateCatalog } from '../catalog/service.js';

/** Where the storefront's on-demand revalidation answers (its own port, not through Nginx) and its secret. */
export interface StorefrontConfig {
  STOREFRONT_INTERNAL_URL?: string | undefined;
  REVALIDATE_SECRET?: string | undefined;
}

const EVERYTHING = { all: true, slugs: new Set<string>() };

/**
 * After a back office change, without waiting for the catalog listener (which also hears it, from
 * the database's triggers): drops the API's cached catalog answers, then asks the storefront to
 * render its pages again. The storefront call is best effort: a failure is logged.
 */
export function createCatalogChangeHook(deps: { responseCache: ResponseCache; logger: Logger; config: StorefrontConfig }) {
  const { STOREFRONT_INTERNAL_URL: url, REVALIDATE_SECRET: secret } = deps.config;
  return async function catalogChanged(): Promise<void> {
    await invalidateCatalog(deps, EVERYTHING);
    if (!url || !secret) return;
    await revalidateStorefront({ url, secret }, EVERYTHING).catch((error: unknown) => deps.logger.warn({ err: error }, 'vitrine non revalidée après la modification du catalogue'));
  };
}

/** Called after each committed catalog change. */
export type CatalogChanged = ReturnType<typeof createCatalogChangeHook>;
