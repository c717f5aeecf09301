import type { CachedResponse, ResponseCache } from '@girlycrea/cache';
import type { Pool, Queryable } from '@girlycrea/db';
import type { Metrics } from '@girlycrea/observability/metrics';
import { AppError } from '../../http/errors.js';
import * as repo from './repo.js';
import type { CategoryNode, ProductDetail, ProductList, ProductListQuery, ProductSummary } from '@girlycrea/contract';

/** What the catalog needs: the database and the response cache (and metrics counting its hits). */
export interface CatalogDeps {
  db: Pool;
  responseCache: ResponseCache;
  metrics?: Metrics;
}

/** The shared response cache's answer for `key`, counted as a hit or a miss (the build ran). */
async function cached(deps: CatalogDeps, key: string, tag: string, build: () => Promise<unknown>): Promise<CachedResponse> {
  let built = false;
  try {
    return await deps.responseCache.wrap(key, [CATALOG_TAG, tag], () => {
      built = true;
      return build();
    });
  } finally {
    // A 404 (the build threw not_found) was a miss too.
    deps.metrics?.catalogCache.inc({ layer: 'redis', result: built ? 'miss' : 'hit' });
  }
}

/** Thumbnail URL of each variant that has a picture (cart lines, orders): its own picture first. */
export async function findVariantThumbnails(db: Queryable, variantIds: readonly string[]): Promise<Map<string, string>> {
  if (variantIds.length === 0) return new Map();
  const rows = await repo.findVariantImages(db, variantIds);
  return new Map(rows.map((row) => [row.variant_id, row.url]));
}

// Tags of the cached answers: all of them, the product lists (any product may appear in any list,
// search included), one product's page, the category tree.
const CATALOG_TAG = 'catalog';
const LISTS_TAG = 'lists';
const productTag = (slug: string) => `product:${slug}`;

/** What changed in the catalog: everything, or the named products (their pages and every list). */
export interface CatalogChange {
  all: boolean;
  slugs: ReadonlySet<string>;
}

function toProductSummary(row: repo.ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    priceCents: row.price_cents,
    ...(row.compare_at_cents === null ? {} : { compareAtCents: row.compare_at_cents }),
    currency: 'EUR',
    image: row.image,
    inStock: row.in_stock,
  };
}

function toProductDetail(row: repo.ProductDetailRow): ProductDetail {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    currency: 'EUR',
    images: row.images,
    categories: row.categories,
    variants: row.variants.map((variant) => ({
      id: variant.id,
      sku: variant.sku,
      title: variant.title,
      options: variant.options,
      priceCents: variant.price_cents,
      ...(variant.compare_at_cents === null ? {} : { compareAtCents: variant.compare_at_cents }),
      inStock: variant.stock > 0,
    })),
  };
}

function toCategoryTree(rows: repo.CategoryRow[]): CategoryNode[] {
  const nodes = new Map(rows.map((row) => [row.id, { id: row.id, slug: row.slug, name: row.name, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** One page of active products, served from the response cache when possible. */
export async function listProducts(deps: CatalogDeps, query: ProductListQuery): Promise<CachedResponse> {
  const filters: repo.ProductFilters = {
    q: query.q?.toLowerCase().replace(/\s+/g, ' '),
    category: query.category,
    sort: query.sort ?? (query.q ? 'relevance' : 'newest'),
    page: query.page,
    limit: query.limit,
  };
  const key = `products:${filters.sort}:${filters.page}:${filters.limit}:${filters.category ?? ''}:${filters.q ?? ''}`;
  return cached(deps, key, LISTS_TAG, async (): Promise<ProductList> => {
    if (filters.category && !(await repo.categoryExists(deps.db, filters.category))) {
      throw new AppError('not_found', `Catégorie inconnue : ${filters.category}.`);
    }
    const rows = await repo.findProducts(deps.db, filters);
    const total = rows[0] ? Number(rows[0].total) : filters.page > 1 ? await repo.countProducts(deps.db, filters) : 0;
    return { items: rows.map(toProductSummary), page: filters.page, limit: filters.limit, total };
  });
}

/** An active product by slug; 404 not_found for unknown, draft or archived products. */
export async function getProduct(deps: CatalogDeps, slug: string): Promise<CachedResponse> {
  return cached(deps, `product:${slug}`, productTag(slug), async () => {
    const row = await repo.findProductBySlug(deps.db, slug);
    if (!row) throw new AppError('not_found', `Produit introuvable : ${slug}.`);
    return toProductDetail(row);
  });
}

/** The category tree. */
export async function listCategories(deps: CatalogDeps): Promise<CachedResponse> {
  return cached(deps, 'categories', 'categories', async () => toCategoryTree(await repo.findCategories(deps.db)));
}

/** A stored media file; 404 not_found when absent. */
export async function getMedia(deps: CatalogDeps, path: string): Promise<{ contentType: string; body: Buffer }> {
  const media = await repo.findMedia(deps.db, path);
  if (!media) throw new AppError('not_found', 'Image introuvable.');
  return { contentType: media.content_type, body: media.body };
}

/**
 * Drops the cached answers `change` makes wrong. Called by the catalog listener (changes.ts) for
 * every change committed to the catalog tables; throws when the cache store fails.
 */
export async function invalidateCatalog(deps: Pick<CatalogDeps, 'responseCache'>, change: CatalogChange): Promise<void> {
  if (change.all) {
    await deps.responseCache.invalidate(CATALOG_TAG);
    return;
  }
  await Promise.all([LISTS_TAG, ...[...change.slugs].map(productTag)].map((tag) => deps.responseCache.invalidate(tag)));
}
