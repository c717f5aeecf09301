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

export type ProductSort = 'newest' | 'price_asc' | 'price_desc';

export interface ProductQuery {
  category?: string;
  q?: string;
  sort?: ProductSort;
  page?: number;
  limit?: number;
}

// Catalog data may be up to a minute stale; the 'catalog' tag lets an admin
// action purge it at once with revalidateTag('catalog').
// A fresh object per call so no caller can mutate a shared tags array.
function catalogCache(): NextFetchRequestConfig {
  return { revalidate: 60, tags: ['catalog'] };
}

// ---- decoding --------------------------------------------------------------
// Hand-written guards (no runtime schema library in the web app yet): they
// reject responses that would otherwise blow up deep inside rendering.

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what}: expected an object`);
  // Safe: checked non-null, non-array object just above.
  return value as Json;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what}: expected a string`);
  return value;
}

function asId(value: unknown, what: string): string {
  // The contract does not pin the id type (uuid or serial); keep it opaque.
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return asString(value, what);
}

function asInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${what}: expected an integer`);
  return value;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array`);
  return value;
}

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
    compareAtCents: o.compareAtCents === undefined || o.compareAtCents === null ? null : asInt(o.compareAtCents, `${at}.compareAtCents`),
    currency: asString(o.currency, `${at}.currency`),
    image: o.image === undefined || o.image === null ? null : asString(o.image, `${at}.image`),
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
  return fetchJson(`/api/products${qs ? `?${qs}` : ''}`, decodeProductPage, { next: catalogCache() });
}

/** Returns the category tree (`GET /api/categories`). */
export function getCategories(): Promise<Category[]> {
  return fetchJson('/api/categories', decodeCategories, { next: catalogCache() });
}
