import { exec, many, one, type Queryable, type Tx } from '@girlycrea/db';

/** A variant with what pricing and stock checks need. */
export interface VariantRow {
  id: string;
  sku: string;
  title: string;
  variant_title: string;
  price_cents: number;
  stock: number;
  /** Active variant of an active product. */
  purchasable: boolean;
  /** Most units of this variant in one cart line or order line; null: the shop's default. */
  max_per_order: number | null;
}

/** A shipping_methods row. */
export interface ShippingMethodRow {
  id: string;
  name: string;
  price_cents: number;
  free_over_cents: number | null;
}

/** A discount_codes row with its validity evaluated at the database's clock. */
export interface DiscountRow {
  id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  min_subtotal_cents: number;
  is_live: boolean;
  is_used_up: boolean;
  /** Orders one customer (account) may place with this code; null: no limit. */
  per_customer_limit: number | null;
  /** Orders one e-mail address may place with this code; null: no limit. */
  per_email_limit: number | null;
}

/** What pricing a cart reads from PostgreSQL. */
export interface QuoteLookup {
  /** Variant ids (any status). */
  ids: readonly string[];
  discountCode: string | null;
  shippingMethodId: string | null;
}

/** The rows of a `QuoteLookup`: the variants found, and the code and shipping method when asked and found. */
export interface QuoteRows {
  variants: VariantRow[];
  discount: DiscountRow | null;
  shipping_method: ShippingMethodRow | null;
}

/**
 * The select-list column `quote` reading a `QuoteLookup` (migration 0005's `gc_quote`, whose plans
 * each backend caches), its values appended to `params`: one call whatever was asked, and one a
 * caller can fold into its own statement.
 */
export function quoteColumn(params: unknown[], lookup: QuoteLookup): string {
  const next = (value: unknown) => `$${params.push(value)}`;
  return `gc_quote(${next(lookup.ids)}::uuid[], ${next(lookup.discountCode)}::text, ${next(lookup.shippingMethodId)}::text) AS quote`;
}

/** Reads a `QuoteLookup` in one statement (none when there is nothing to read). */
export async function findQuoteRows(db: Queryable, lookup: QuoteLookup): Promise<QuoteRows> {
  if (lookup.ids.length === 0 && lookup.discountCode === null && lookup.shippingMethodId === null) {
    return { variants: [], discount: null, shipping_method: null };
  }
  const params: unknown[] = [];
  return (await one<{ quote: QuoteRows }>(db, `SELECT ${quoteColumn(params, lookup)}`, params)).quote;
}

/** Active shipping methods in display order. */
export async function findShippingMethods(db: Queryable): Promise<ShippingMethodRow[]> {
  return many<ShippingMethodRow>(db, 'SELECT id, name, price_cents, free_over_cents FROM shipping_methods WHERE active ORDER BY position, id');
}

/**
 * Until the transaction ends, serialises the checkouts of one buyer (each key: a customer id or an
 * e-mail address) using one discount code, so two at once cannot both pass its per-buyer limits.
 */
export async function lockDiscountUse(tx: Tx, discountId: string, buyerKeys: string[]): Promise<void> {
  await exec(tx, 'SELECT pg_advisory_xact_lock(hashtextextended($1::text || k, 0)) FROM unnest($2::text[]) AS k ORDER BY k', [discountId, buyerKeys]);
}

/** Orders that used the code and still hold its use (neither cancelled nor failed): by this customer, and by this e-mail. */
export async function countDiscountUses(db: Queryable, input: { discountId: string; customerId: string | null; email: string }): Promise<{ by_customer: number; by_email: number }> {
  return one(
    db,
    `SELECT count(*) FILTER (WHERE customer_id = $2)::int AS by_customer, count(*) FILTER (WHERE email = $3)::int AS by_email
     FROM orders
     WHERE discount_code_id = $1 AND (customer_id = $2 OR email = $3) AND status NOT IN ('cancelled', 'payment_failed')`,
    [input.discountId, input.customerId, input.email],
  );
}
