import type { Queryable } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { NewOrderLine } from '../orders/service.js';
import { priceOrder, type PricingResult } from './pricing.js';
import * as repo from './repo.js';

/** A variant and quantity asked for. */
export interface QuoteItem {
  variantId: string;
  quantity: number;
}

/** A cart line priced from PostgreSQL: what an order line snapshots, plus the stock seen. */
export interface QuoteLine extends NewOrderLine {
  /** Units in stock right now. */
  stock: number;
  /** Most units of this variant per line: the variant's own cap or the shop's default. */
  maxPerOrder: number;
}

/** A priced cart: lines, the discount and shipping that apply, and the engine's totals. */
export interface Quote {
  lines: QuoteLine[];
  /** Items whose variant is unknown, archived or whose product is not active (left out of the lines). */
  unavailable: QuoteItem[];
  discount: { id: string; code: string; perCustomerLimit: number | null; perEmailLimit: number | null } | null;
  /** Why the cart's code gives nothing now (French), or null. */
  discountProblem: string | null;
  shippingMethod: repo.ShippingMethodRow | null;
  pricing: PricingResult;
}

const euros = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`;

/** A variant as a quote reads it (price, stock, whether it can be bought). */
export type QuoteVariant = repo.VariantRow;

/** What a quote is computed from: the rows read for one `QuoteLookup`, and the lookup itself. */
export interface QuoteData {
  lookup: repo.QuoteLookup;
  variants: Map<string, repo.VariantRow>;
  discount: repo.DiscountRow | null;
  shippingMethod: repo.ShippingMethodRow | null;
}

/** The input of a quote. */
export interface QuoteInput {
  items: QuoteItem[];
  discountCode: string | null;
  shippingMethodId?: string | null;
}

/** What to read from PostgreSQL to price `input`. */
export const quoteLookup = (input: QuoteInput): repo.QuoteLookup => ({
  ids: [...new Set(input.items.map((item) => item.variantId))],
  discountCode: input.discountCode,
  shippingMethodId: input.shippingMethodId ?? null,
});

/** Builds `QuoteData` from the rows of `lookup`. */
export function toQuoteData(lookup: repo.QuoteLookup, rows: repo.QuoteRows): QuoteData {
  return { lookup, variants: new Map(rows.variants.map((row) => [row.id, row])), discount: rows.discount, shippingMethod: rows.shipping_method };
}

/** Reads everything pricing `input` needs, in one statement (ids may add variants to look up). */
export async function loadQuoteData(db: Queryable, input: QuoteInput, extraIds: string[] = []): Promise<QuoteData> {
  const lookup = quoteLookup(input);
  lookup.ids = [...new Set([...lookup.ids, ...extraIds])];
  return toQuoteData(lookup, await repo.findQuoteRows(db, lookup));
}

/** Whether `data` was read for everything `input` needs (same code and shipping method, every variant). */
export function covers(data: QuoteData, input: QuoteInput): boolean {
  const { lookup } = data;
  return (
    lookup.discountCode === input.discountCode &&
    lookup.shippingMethodId === (input.shippingMethodId ?? null) &&
    input.items.every((item) => lookup.ids.includes(item.variantId))
  );
}

/** What a code that gives nothing says, whatever the reason (unknown, expired, used up): guessing learns nothing. */
export const DISCOUNT_NOT_VALID = 'Ce code promo n’est pas valable.';

/** The shop's default per-line cap, applied where a variant sets none. */
export const lineCap = (variant: Pick<repo.VariantRow, 'max_per_order'>, shopDefault: number) => variant.max_per_order ?? shopDefault;

/** Prices items from `data` (read for them, see `covers`): 400 for an unknown shipping method. `lineLimit`: the shop's default per-line cap. */
export function priceQuote(data: QuoteData, input: QuoteInput, lineLimit: number): Quote {
  const { discount, shippingMethod, variants: byId } = data;
  if (input.shippingMethodId && !shippingMethod) {
    throw new AppError('invalid_request', 'Mode de livraison inconnu.', { details: [{ path: 'shippingMethodId', message: 'mode de livraison inconnu' }] });
  }
  const available = input.items.filter((item) => byId.get(item.variantId)?.purchasable);
  const unavailable = input.items.filter((item) => !byId.get(item.variantId)?.purchasable);

  let discountProblem: string | null = null;
  if ((input.discountCode && !discount) || (discount && (!discount.is_live || discount.is_used_up))) discountProblem = DISCOUNT_NOT_VALID;
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
        maxPerOrder: lineCap(variant, lineLimit),
      };
    }),
    unavailable,
    discount: discount
      ? { id: discount.id, code: discount.code, perCustomerLimit: discount.per_customer_limit, perEmailLimit: discount.per_email_limit }
      : null,
    discountProblem,
    shippingMethod: input.shippingMethodId ? shippingMethod : null,
    pricing,
  };
}

/** Prices items with the database's current prices, the code (if any) and the shipping method (if any); reuses `data` when it covers them. */
export async function quoteItems(db: Queryable, input: QuoteInput, lineLimit: number, data?: QuoteData): Promise<Quote> {
  return priceQuote(data && covers(data, input) ? data : await loadQuoteData(db, input), input, lineLimit);
}

/** Active shipping methods. */
export async function listShippingMethods(db: Queryable): Promise<{ id: string; name: string; priceCents: number; freeOverCents: number | null }[]> {
  return (await repo.findShippingMethods(db)).map((row) => ({ id: row.id, name: row.name, priceCents: row.price_cents, freeOverCents: row.free_over_cents }));
}
