// Public surface of the web app's data layer: import from this index, not from
// the individual files, so their split can change freely.
export { ApiError, DEFAULT_TIMEOUT_MS, fetchJson } from './fetch-json';
export type { ApiErrorKind, FetchJsonOptions } from './fetch-json';
export { decodeCategories, decodeProductPage, getCategories, getProducts } from './catalog';
export type { Category, ProductListItem, ProductPage, ProductQuery, ProductSort } from './catalog';
export { formatPrice } from './money';
