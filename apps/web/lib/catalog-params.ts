
// Catalogue URLs speak French (`?tri=prix-croissant&page=2`); the API keeps its own names.

/** Raw Next.js search params. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** Products per listing page. */
export const PAGE_SIZE = 12;
// Bounds what we forward to the API; larger values are typos or probes.
const MAX_PAGE = 10_000;

/** The sort choices offered to shoppers, in display order. */
export const SORTS = [
  { value: 'nouveautes', label: 'Nouveautés', api: 'newest' },
  { value: 'prix-croissant', label: 'Prix croissant', api: 'price_asc' },
  { value: 'prix-decroissant', label: 'Prix décroissant', api: 'price_desc' },
] as const satisfies readonly { value: string; label: string; api: ProductSort }[];

export type SortValue = (typeof SORTS)[number]['value'];

/** First value of a query parameter (`?a=1&a=2` → "1"). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Page number from the query; anything odd falls back to page 1. */
export function parsePage(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return 1;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** A known sort value from the query, or undefined (the API's default order). */
export function parseSort(raw: string | undefined): SortValue | undefined {
  return SORTS.find((s) => s.value === raw)?.value;
}

/** The API's name for a sort value. */
export function apiSort(sort: SortValue | undefined): ProductSort | undefined {
  return SORTS.find((s) => s.value === sort)?.api;
}

/** Builds a listing URL; default values stay out of the query so each page has one canonical URL. */
export function listingHref(path: string, params: { q?: string; sort?: SortValue; page?: number }): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.sort) query.set('tri', params.sort);
  if (params.page && params.page > 1) query.set('page', String(params.page));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}import type { ProductSort } from '@girlycrea/contract';

