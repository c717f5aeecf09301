'use server';

import { updateTag } from 'next/cache';
import { ProductDetail } from '@girlycrea/contract';
import { ApiError, fetchJson, productTag } from '../../../lib/api';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Called when the cart met a variant the API does not know (the catalog was replaced under a cached
 * page): reads the product past Next's cache and, when its variants are no longer the page's, expires
 * the page's data so this visit and the next render anew. Returns whether the page was stale.
 */
export async function refreshProductPage(slug: string, shownVariantIds: string[]): Promise<boolean> {
  if (!SLUG.test(slug)) return false;
  let current: string[];
  try {
    current = (await fetchJson(`/api/products/${slug}`, ProductDetail.parse, { cache: 'no-store' })).variants.map((variant) => variant.id);
  } catch (error) {
    // A product gone altogether: the page must go too.
    if (!(error instanceof ApiError && error.status === 404)) return false;
    current = [];
  }
  const stale = shownVariantIds.some((id) => !current.includes(id));
  if (stale) updateTag(productTag(slug));
  return stale;
}
