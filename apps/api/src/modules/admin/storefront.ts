import type { ResponseCache } from '@girlycrea/cache';
import type { Logger } from '@girlycrea/observability/logger';
import { CATALOG_TAG } from '../catalog/service.js';

/** Where the storefront's on-demand revalidation answers (its own port, not through Nginx) and its secret. */
export interface StorefrontConfig {
  STOREFRONT_INTERNAL_URL?: string | undefined;
  REVALIDATE_SECRET?: string | undefined;
}

/**
 * After a catalog change: drops the API's cached catalog answers (Redis tags, and through their
 * pub/sub every process's memory copy), then asks the storefront to render its cached pages again.
 * The storefront call is best effort: a failure is logged, the pages then refresh at their ISR
 * interval. Nginx's micro-cache expires on its own within its short TTL.
 */
export function createCatalogChangeHook(deps: { responseCache: ResponseCache; logger: Logger; config: StorefrontConfig }) {
  const { STOREFRONT_INTERNAL_URL: url, REVALIDATE_SECRET: secret } = deps.config;
  return async function catalogChanged(): Promise<void> {
    await deps.responseCache.invalidate(CATALOG_TAG);
    if (!url || !secret) return;
    try {
      const res = await fetch(`${url}/revalidate`, { method: 'POST', headers: { Authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5000) });
      if (!res.ok) deps.logger.warn({ status: res.status }, 'revalidation de la vitrine refusée : vérifiez REVALIDATE_SECRET');
    } catch (error) {
      deps.logger.warn({ err: error }, 'vitrine injoignable pour la revalidation');
    }
  };
}

/** Called after each committed catalog change. */
export type CatalogChanged = ReturnType<typeof createCatalogChangeHook>;
