// Server surface of the web app's data layer (server components, sitemap, metadata).
// Browser code imports './client' instead, which never reads the environment.
export { ApiError } from './errors';
export type { ApiErrorKind } from './errors';
export { DEFAULT_TIMEOUT_MS, fetchJson } from './fetch-json';
export type { FetchJsonOptions } from './fetch-json';
export {
  CATALOG_TAG,
  decodeCategories,
  decodeProductDetail,
  decodeProductPage,
  flattenCategories,
  getCategories,
  getProduct,
  getProducts,
  productTag,
} from './catalog';
export type { Category, ProductDetail, ProductListItem, ProductPage, ProductQuery, ProductSort, Variant } from './catalog';
export { formatPrice } from './money';
