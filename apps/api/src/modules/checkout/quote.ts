import type { Queryable } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import { priceOrder, type PricingResult } from './pricing.js';
import * as repo from './repo.js';

/** A variant and quantity asked for. */
export interface QuoteItem {
  variantId: string;
  quantity: number;
}

/** A cart line priced from PostgreSQL. */
export interface QuoteLine {
  variantId: string;
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  discountCents: number;
  vatCents: number;
  /** Units in stock right now. */
  stock: number;
}

/** A priced cart: lines, the discount and shipping that apply, and the engine's totals. */
export interface Quote {
  lines: QuoteLine[];
  /** Items whose variant is unknown, archived or whose product is not active (left out of the lines). */
  unavailable: QuoteItem[];
  discount: { id: string; code: string } | null;
  /** Why the cart's code gives nothing now (French), or null. */
  discountProblem: string | null;
  shippingMethod: repo.ShippingMethodRow | null;
  pricing: PricingResult;
}

const euros = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`;

/** Prices items with the database's current prices, the code (if any) and the shipping method (if any). */
export async function quoteItems(
  db: Queryable,
  input: { items: QuoteItem[]; discountCode: string | null; shippingMethodId?: string | null },
): Promise<Quote> {
  // Sequential on purpose: inside a transaction all queries share one client.
  const variants = await repo.findVariants(db, input.items.map((item) => item.variantId));
  const discount = input.discountCode ? await repo.findDiscountByCode(db, input.discountCode) : undefined;
  const shippingMethod = input.shippingMethodId ? await repo.findShippingMethod(db, input.shippingMethodId) : null;
  if (input.shippingMethodId && !shippingMethod) {
    throw new AppError('invalid_request', 'Mode de livraison inconnu.', { details: [{ path: 'shippingMethodId', message: 'mode de livraison inconnu' }] });
  }
  const byId = new Map(variants.map((variant) => [variant.id, variant]));
  const available = input.items.filter((item) => byId.get(item.variantId)?.purchasable);
  const unavailable = input.items.filter((item) => !byId.get(item.variantId)?.purchasable);

  let discountProblem: string | null = null;
  if (input.discountCode && !discount) discountProblem = 'Ce code promo n’existe pas.';
  else if (discount && !discount.is_live) discountProblem = 'Ce code promo n’est pas valable actuellement.';
  else if (discount?.is_used_up) discountProblem = 'Ce code promo a atteint sa limite d’utilisation.';
  const usable = discount && discountProblem === null ? discount : null;

  const pricing = priceOrder({
    lines: available.map((item) => ({ unitPriceCents: byId.get(item.variantId)!.price_cents, quantity: item.quantity })),
    discount: usable ? { kind: usable.kind, value: usable.value, minSubtotalCents: usable.min_subtotal_cents } : null,
    shipping: shippingMethod ? { priceCents: shippingMethod.price_cents, freeOverCents: shippingMethod.free_over_cents } : null,
  });
  if (usable && !pricing.discountApplied) discountProblem = `Ce code promo s’applique dès ${euros(usable.min_subtotal_cents)} d’achat.`;

  return {
    lines: available.map((item, index) => {
      const variant = byId.get(item.variantId)!;
      const priced = pricing.lines[index]!;
      return {
        variantId: variant.id,
        sku: variant.sku,
        title: variant.title,
        variantTitle: variant.variant_title,
        quantity: item.quantity,
        unitPriceCents: priced.unitPriceCents,
        lineTotalCents: priced.lineTotalCents,
        discountCents: priced.discountCents,
        vatCents: priced.vatCents,
        stock: variant.stock,
      };
    }),
    unavailable,
    discount: discount ? { id: discount.id, code: discount.code } : null,
    discountProblem,
    shippingMethod: shippingMethod ?? null,
    pricing,
  };
}

/** The discount code row, or 404 not_found for an unknown code. */
export async function findDiscountOr404(db: Queryable, code: string): Promise<{ id: string; code: string }> {
  const row = await repo.findDiscountByCode(db, code);
  if (!row) throw new AppError('not_found', 'Ce code promo n’existe pas.');
  return { id: row.id, code: row.code };
}

/** Active shipping methods. */
export async function listShippingMethods(db: Queryable): Promise<{ id: string; name: string; priceCents: number; freeOverCents: number | null }[]> {
  return (await repo.findShippingMethods(db)).map((row) => ({ id: row.id, name: row.name, priceCents: row.price_cents, freeOverCents: row.free_over_cents }));
}

/** Purchasability and stock of variants, by id (unknown ids absent). */
export async function findVariantStock(db: Queryable, ids: string[]): Promise<Map<string, { sku: string; stock: number; purchasable: boolean }>> {
  const rows = await repo.findVariants(db, ids);
  return new Map(rows.map((row) => [row.id, { sku: row.sku, stock: row.stock, purchasable: row.purchasable }]));
}
