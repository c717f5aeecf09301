// Server surface of the web app's data module (server components, sitemap, metadata). API types
// and schemas come from @girlycrea/contract. Browser code imports './client' instead, which never
// reads the environment.
export { ApiError } from './errors';
export type { ApiErrorKind } from './errors';
export { DEFAULT_TIMEOUT_MS, fetchJson } from './fetch-json';
export type { FetchJsonOptions } from './fetch-json';
export { CATALOG_TAG, flattenCategories, getCategories, getProduct, getProducts, productTag } from './catalog';
export type { ProductQuery } from './catalog';
export { formatPrice } from './money';
