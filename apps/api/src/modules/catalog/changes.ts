import { CATALOG_CHANNEL, listen } from '@girlycrea/db';
import type { Logger } from '@girlycrea/observability/logger';
import { invalidateCatalog, type CatalogDeps, type CatalogChange } from './service.js';

/** Where the storefront takes on-demand revalidations (its POST /revalidate route). */
export interface StorefrontRevalidation {
  /** The storefront's origin on the loopback, e.g. http://127.0.0.1:3000. */
  url: string;
  secret: string;
}

/** What the catalog listener needs. */
export interface CatalogListenerDeps extends Pick<CatalogDeps, 'responseCache'> {
  /** A direct PostgreSQL URL: LISTEN is session state, which PgBouncer's transaction mode would lose. */
  directUrl: string;
  storefront?: StorefrontRevalidation;
  logger: Logger;
}

// Notifications of one commit arrive together: a short window turns them into one invalidation.
const BATCH_MS = 5;
const RETRY_MS = 1_000;
// Past this many products, dropping everything is cheaper than naming each one (a seed, an import).
const MAX_NAMED_PRODUCTS = 100;

/** Reads a `catalog_changed` payload (migration 0013): `product:<slug>` or anything else for everything. */
export function parseCatalogChange(payload: string): CatalogChange {
  const slug = payload.startsWith('product:') ? payload.slice('product:'.length) : '';
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) ? { all: false, slugs: new Set([slug]) } : { all: true, slugs: new Set() };
}

/** Applies changes one batch at a time; a batch that fails is merged into the next one, retried a second later. */
function coalescing(apply: (change: CatalogChange) => Promise<void>, onError: (error: unknown) => void) {
  let pending: CatalogChange | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const merge = (change: CatalogChange) => {
    const slugs = new Set([...(pending?.slugs ?? []), ...change.slugs]);
    const all = (pending?.all ?? false) || change.all || slugs.size > MAX_NAMED_PRODUCTS;
    pending = all ? { all, slugs: new Set() } : { all, slugs };
  };

  const schedule = (delayMs: number) => {
    if (closed || timer || running || !pending) return;
    timer = setTimeout(() => {
      timer = undefined;
      const change = pending!;
      pending = undefined;
      running = apply(change).then(
        () => BATCH_MS,
        (error: unknown) => {
          onError(error);
          merge(change);
          return RETRY_MS;
        },
      ).then((next) => {
        running = undefined;
        schedule(next);
      });
    }, delayMs);
  };

  return {
    add(change: CatalogChange, delayMs = BATCH_MS): void {
      merge(change);
      schedule(delayMs);
    },
    async settle(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await running;
    },
  };
}

/** Asks the storefront to re-render the pages built from `change` on their next visit. */
export async function revalidateStorefront(storefront: StorefrontRevalidation, change: CatalogChange): Promise<void> {
  // Tag names shared with apps/web/lib/api/catalog.ts.
  const tags = change.all ? ['catalog'] : ['lists', ...[...change.slugs].map((slug) => `product:${slug}`)];
  const response = await fetch(`${storefront.url}/revalidate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${storefront.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tags }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`POST ${storefront.url}/revalidate a répondu ${response.status} (REVALIDATE_SECRET identique des deux côtés ?)`);
}

/**
 * Listens to the catalog's changes (migration 0013's triggers) and, for exactly the products
 * concerned, drops the API's cached answers, then has the storefront re-render its pages. On each
 * (re)connection everything is dropped: changes made while nobody listened were not heard.
 */
export function startCatalogListener(deps: CatalogListenerDeps) {
  let apiFailing = false;
  let storefrontFailing = false;
  const storefront = deps.storefront;
  const toStorefront = storefront
    ? coalescing(
        async (change) => {
          await revalidateStorefront(storefront, change);
          if (storefrontFailing) deps.logger.info('revalidation de la vitrine rétablie');
          storefrontFailing = false;
        },
        (error) => {
          if (!storefrontFailing) deps.logger.warn({ err: error }, 'revalidation de la vitrine impossible, nouvel essai chaque seconde');
          storefrontFailing = true;
        },
      )
    : undefined;
  // The API's cache first: the storefront's re-render reads the API.
  const toApi = coalescing(
    async (change) => {
      await invalidateCatalog(deps, change);
      apiFailing = false;
      toStorefront?.add(change, 0);
    },
    (error) => {
      if (!apiFailing) deps.logger.error({ err: error }, 'invalidation du cache catalogue impossible, nouvel essai chaque seconde');
      apiFailing = true;
    },
  );

  let connectionLost = false;
  const listener = listen({
    url: deps.directUrl,
    channel: CATALOG_CHANNEL,
    onNotify: (payload) => toApi.add(parseCatalogChange(payload)),
    onListening: () => {
      if (connectionLost) deps.logger.info('écoute des changements du catalogue rétablie');
      connectionLost = false;
      toApi.add({ all: true, slugs: new Set() });
    },
    onError: (error) => {
      if (!connectionLost) deps.logger.warn({ err: error }, 'écoute des changements du catalogue interrompue, reconnexion');
      connectionLost = true;
    },
  });

  return {
    /** Resolves once LISTEN is in place (changes committed after this are heard). */
    ready: listener.ready,
    async close(): Promise<void> {
      await listener.close();
      await toApi.settle();
      await toStorefront?.settle();
    },
  };
}

/** A running catalog listener. */
export type CatalogListener = ReturnType<typeof startCatalogListener>;
