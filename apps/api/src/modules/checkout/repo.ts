import { exec, many, one, type Queryable, type Tx } from '@girlycrea/db';
import type { PreparedOrder } from '../orders/service.js';
import type { ProviderName } from '@girlycrea/contract';

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

/** Everything the checkout writes for one order, in one statement (see `placeOrder`). */
export interface OrderPlacement {
  /** Variants to take (sorted by id, each once) and how many of each. */
  stock: { ids: string[]; quantities: number[] };
  /** The code whose use is counted with this order, or null. */
  discountId: string | null;
  order: PreparedOrder;
  payment: { id: string; provider: ProviderName; amountCents: number };
  /** The stored first response; its `order.number` is filled in from the drawn number. */
  response: { scope: string; key: string; statusCode: number; body: object };
}

/** What `placeOrder` did: the order number when placed; otherwise which check failed, with the stock seen under lock. */
export interface PlacementResult {
  number: string | null;
  stockOk: boolean;
  discountOk: boolean;
  /** Stock of each locked variant before the decrement. */
  stock: Map<string, number>;
}

/**
 * Places an order in ONE statement of the caller's transaction (`gc_place_order` of migration 0015,
 * whose plan each backend caches): locks the variants in id order (as `releaseHeld` does, so the
 * two never deadlock), takes the stock with one conditional UPDATE (`stock >= quantity`, each
 * variant once), then — only if every variant was taken — counts the code's use (after the
 * variants, again as `releaseHeld`), and only if that passed too inserts the order (number from
 * the sequence), its lines, its pending payment and the request's stored response (completed with
 * the drawn number). No e-mail: the confirmation is queued when the order is paid. When a check fails
 * nothing is inserted and the caller must roll back (stock may be taken).
 */
export async function placeOrder(tx: Tx, placement: OrderPlacement): Promise<PlacementResult> {
  const { order, payment, response } = placement;
  const o = order.row;
  const column = <K extends keyof PreparedOrder['lines'][number]>(key: K) => order.lines.map((line) => line[key]);
  const params = [
    placement.stock.ids, placement.stock.quantities, placement.discountId,
    o.id, o.customerId, o.guestSessionHash, o.accessTokenHash, o.email, JSON.stringify(o.shippingAddress),
    o.relayPoint ? JSON.stringify(o.relayPoint) : null, o.shippingMethodId,
    o.shippingMethodName, o.discountCode, o.paymentProvider, o.subtotalCents, o.discountCents, o.shippingCents, o.vatCents,
    o.totalCents, o.ttlMinutes,
    column('variant_id'), column('sku'), column('title'), column('variant_title'), column('quantity'), column('unit_price_cents'),
    column('line_total_cents'), column('discount_cents'), column('vat_cents'),
    payment.id, payment.amountCents,
    response.scope, response.key, response.statusCode, JSON.stringify(response.body),
  ];
  const { placed } = await one<{ placed: { number: string | null; stock_ok: boolean; discount_ok: boolean; stock: { id: string; stock: number }[] | null } }>(
    tx,
    `SELECT gc_place_order(${params.map((_, i) => `$${i + 1}`).join(', ')}) AS placed`,
    params,
  );
  return {
    number: placed.number,
    stockOk: placed.stock_ok,
    discountOk: placed.discount_ok,
    stock: new Map((placed.stock ?? []).map((locked) => [locked.id, locked.stock])),
  };
}

/**
 * After commit: records the reference the provider gave a pending payment that had none, and in
 * the same statement completes the stored response with `body` (once). False, with nothing
 * written, when the payment already had a reference (a replay started it first).
 */
export async function recordPaymentStart(
  db: Queryable,
  input: { paymentId: string; providerRef: string; clientSecret: string | null; redirectUrl: string | null; scope: string; key: string; body: object },
): Promise<boolean> {
  const row = await one<{ started: boolean }>(
    db,
    `WITH started AS (
       UPDATE payments SET provider_ref = $2, client_secret = $3, redirect_url = $7, updated_at = now()
       WHERE id = $1 AND provider_ref IS NULL AND status = 'pending' RETURNING id
     ), stored AS (
       UPDATE idempotency_keys SET response = $6::jsonb
       WHERE scope = $4 AND key = $5 AND NOT (response ? 'payment') AND EXISTS (SELECT 1 FROM started)
     )
     SELECT EXISTS (SELECT 1 FROM started) AS started`,
    [input.paymentId, input.providerRef, input.clientSecret, input.scope, input.key, JSON.stringify(input.body), input.redirectUrl],
  );
  return row.started;
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
