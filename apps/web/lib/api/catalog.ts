import { CategoryTree, ProductDetail, ProductList, type CategoryNode, type ProductSort } from '@girlycrea/contract';
import { ApiError } from './errors';
import { fetchJson } from './fetch-json';

/** What a product list asks `GET /api/products` for. */
export interface ProductQuery {
  category?: string;
  q?: string;
  sort?: ProductSort;
  page?: number;
  limit?: number;
}

/** Tag of every cached catalog read: revalidating it purges them all. */
export const CATALOG_TAG = 'catalog';

/** Tag of one product's cached reads. The API names the products that changed (POST /revalidate). */
export function productTag(slug: string): string {
  return `product:${slug}`;
}

// The API asks for revalidation by tag the moment the catalog changes (app/revalidate/route.ts); the
// minute is only a safety net should a revalidation be lost. A fresh object per call so no caller can
// mutate a shared tags array.
function catalogCache(tag: string): NextFetchRequestConfig {
  return { revalidate: 60, tags: [CATALOG_TAG, tag] };
}

// ---- last good data ----------------------------------------------------------
// When the API is down, a page rendered from slightly old data beats an error page.
// Bounded, per process; the Next data cache already covers the common case.

const LAST_GOOD_MAX = 500;
const lastGood = new Map<string, unknown>();

function isOutage(error: unknown): boolean {
  return error instanceof ApiError && (error.kind !== 'http' || (error.status ?? 500) >= 500);
}

/** Runs `load`; remembers its result, and answers with the last one when the API is unreachable. */
async function withLastGood<T>(key: string, load: () => Promise<T>): Promise<T> {
  try {
    const value = await load();
    lastGood.delete(key);
    lastGood.set(key, value);
    if (lastGood.size > LAST_GOOD_MAX) lastGood.delete(lastGood.keys().next().value ?? '');
    return value;
  } catch (error) {
    // Safe: only this function writes under `key`, always with the result of the same loader.
    if (isOutage(error) && lastGood.has(key)) return lastGood.get(key) as T;
    throw error;
  }
}

// ---- endpoints -------------------------------------------------------------

/** Lists products (`GET /api/products`); empty/undefined params are left out of the query. */
export function getProducts(params: ProductQuery = {}): Promise<ProductList> {
  const search = new URLSearchParams();
  if (params.category) search.set('category', params.category);
  if (params.q) search.set('q', params.q);
  if (params.sort) search.set('sort', params.sort);
  if (params.page !== undefined) search.set('page', String(params.page));
  if (params.limit !== undefined) search.set('limit', String(params.limit));
  const qs = search.toString();
  const path = `/api/products${qs ? `?${qs}` : ''}`;
  return withLastGood(path, () => fetchJson(path, ProductList.parse, { next: catalogCache('lists') }));
}

/** Returns the category tree (`GET /api/categories`). */
export function getCategories(): Promise<CategoryNode[]> {
  return withLastGood('/api/categories', () => fetchJson('/api/categories', CategoryTree.parse, { next: catalogCache('categories') }));
}

/** Returns one product, or null when the API says it does not exist (404). */
export async function getProduct(slug: string): Promise<ProductDetail | null> {
  const path = `/api/products/${encodeURIComponent(slug)}`;
  try {
    return await withLastGood(path, () => fetchJson(path, ProductDetail.parse, { next: catalogCache(productTag(slug)) }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Depth-first list of a category tree. */
export function flattenCategories(categories: CategoryNode[]): CategoryNode[] {
  return categories.flatMap((c) => [c, ...flattenCategories(c.children)]);
}
