
// Not in a 'use client' module: the product page (a server component) calls it too.
/** The variant a product page opens on: the first in stock. */
export function firstChoice(variants: Variant[]): string | undefined {
  return (variants.find((v) => v.inStock) ?? variants[0])?.id;
}import type { Variant } from '@girlycrea/contract';

