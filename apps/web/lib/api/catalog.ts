import { ApiError } from './errors';
import { asArray, asId, asInt, asObject, asString, optional } from './decode';
import { fetchJson } from './fetch-json';

/** A category node from `GET /api/categories` (a tree). */
export interface Category {
  id: string;
  slug: string;
  name: string;
  children: Category[];
}

/** A product as listed by `GET /api/products`. */
export interface ProductListItem {
  id: string;
  slug: string;
  title: string;
  priceCents: number;
  /** Former price, shown struck through when higher than `priceCents`. */
  compareAtCents: number | null;
  currency: string;
  /** URL path such as `/api/media/products/x-1.svg`, or null when no image. */
  image: string | null;
  inStock: boolean;
}

/** One page of products. */
export interface ProductPage {
  items: ProductListItem[];
  page: number;
  limit: number;
  total: number;
}

/** A purchasable variant of a product. */
export interface Variant {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  priceCents: number;
  compareAtCents: number | null;
  inStock: boolean;
}

/** A product page from `GET /api/products/:slug`. */
export interface ProductDetail {
  id: string;
  slug: string;
  title: string;
  description: string;
  currency: string;
  /** `variantId`: the variant the picture shows (null: the product as a whole). */
  images: { url: string; alt: string; variantId: string | null }[];
  categories: { id: string; slug: string; name: string }[];
  variants: Variant[];
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc';

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

// ---- decoding --------------------------------------------------------------

function decodeCategory(value: unknown, at = 'category'): Category {
  const o = asObject(value, at);
  return {
    id: asId(o.id, `${at}.id`),
    slug: asString(o.slug, `${at}.slug`),
    name: asString(o.name, `${at}.name`),
    children: o.children === undefined ? [] : asArray(o.children, `${at}.children`).map((c, i) => decodeCategory(c, `${at}.children[${i}]`)),
  };
}

function decodeProductListItem(value: unknown, at: string): ProductListItem {
  const o = asObject(value, at);
  return {
    id: asId(o.id, `${at}.id`),
    slug: asString(o.slug, `${at}.slug`),
    title: asString(o.title, `${at}.title`),
    priceCents: asInt(o.priceCents, `${at}.priceCents`),
    compareAtCents: optional(o.compareAtCents, asInt, `${at}.compareAtCents`),
    currency: asString(o.currency, `${at}.currency`),
    image: optional(o.image, asString, `${at}.image`),
    inStock: o.inStock === true,
  };
}

function decodeVariant(value: unknown, at: string): Variant {
  const o = asObject(value, at);
  const options = o.options === undefined ? {} : asObject(o.options, `${at}.options`);
  return {
    id: asId(o.id, `${at}.id`),
    sku: asString(o.sku, `${at}.sku`),
    title: asString(o.title, `${at}.title`),
    options: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, asString(v, `${at}.options.${k}`)])),
    priceCents: asInt(o.priceCents, `${at}.priceCents`),
    compareAtCents: optional(o.compareAtCents, asInt, `${at}.compareAtCents`),
    inStock: o.inStock === true,
  };
}

/** Validates a `GET /api/categories` body. */
export function decodeCategories(data: unknown): Category[] {
  return asArray(data, 'categories').map((c, i) => decodeCategory(c, `categories[${i}]`));
}

/** Validates a `GET /api/products` body. */
export function decodeProductPage(data: unknown): ProductPage {
  const o = asObject(data, 'products');
  return {
    items: asArray(o.items, 'products.items').map((p, i) => decodeProductListItem(p, `products.items[${i}]`)),
    page: asInt(o.page, 'products.page'),
    limit: asInt(o.limit, 'products.limit'),
    total: asInt(o.total, 'products.total'),
  };
}

/** Validates a `GET /api/products/:slug` body. */
export function decodeProductDetail(data: unknown): ProductDetail {
  const o = asObject(data, 'product');
  return {
    id: asId(o.id, 'product.id'),
    slug: asString(o.slug, 'product.slug'),
    title: asString(o.title, 'product.title'),
    description: typeof o.description === 'string' ? o.description : '',
    currency: typeof o.currency === 'string' ? o.currency : 'EUR',
    images: asArray(o.images ?? [], 'product.images').map((img, i) => {
      const m = asObject(img, `product.images[${i}]`);
      return {
        url: asString(m.url, `product.images[${i}].url`),
        alt: typeof m.alt === 'string' ? m.alt : '',
        variantId: typeof m.variantId === 'string' ? m.variantId : null,
      };
    }),
    categories: asArray(o.categories ?? [], 'product.categories').map((c, i) => {
      const m = asObject(c, `product.categories[${i}]`);
      return { id: asId(m.id, 'category.id'), slug: asString(m.slug, 'category.slug'), name: asString(m.name, 'category.name') };
    }),
    variants: asArray(o.variants, 'product.variants').map((v, i) => decodeVariant(v, `product.variants[${i}]`)),
  };
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
export function getProducts(params: ProductQuery = {}): Promise<ProductPage> {
  const search = new URLSearchParams();
  if (params.category) search.set('category', params.category);
  if (params.q) search.set('q', params.q);
  if (params.sort) search.set('sort', params.sort);
  if (params.page !== undefined) search.set('page', String(params.page));
  if (params.limit !== undefined) search.set('limit', String(params.limit));
  const qs = search.toString();
  const path = `/api/products${qs ? `?${qs}` : ''}`;
  return withLastGood(path, () => fetchJson(path, decodeProductPage, { next: catalogCache('lists') }));
}

/** Returns the category tree (`GET /api/categories`). */
export function getCategories(): Promise<Category[]> {
  return withLastGood('/api/categories', () => fetchJson('/api/categories', decodeCategories, { next: catalogCache('categories') }));
}

/** Returns one product, or null when the API says it does not exist (404). */
export async function getProduct(slug: string): Promise<ProductDetail | null> {
  const path = `/api/products/${encodeURIComponent(slug)}`;
  try {
    return await withLastGood(path, () => fetchJson(path, decodeProductDetail, { next: catalogCache(productTag(slug)) }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Depth-first list of a category tree. */
export function flattenCategories(categories: Category[]): Category[] {
  return categories.flatMap((c) => [c, ...flattenCategories(c.children)]);
}
