import { exec, many, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { OrderStatus, RelayPoint, ShippingAddress } from '@girlycrea/contract';

/** An orders row. */
export interface OrderRow {
  id: string;
  number: string;
  customer_id: string | null;
  guest_session_hash: Buffer | null;
  email: string;
  status: OrderStatus;
  shipping_address: ShippingAddress;
  relay_point: RelayPoint | null;
  shipping_method_id: string;
  shipping_method_name: string;
  discount_code_id: string | null;
  discount_code: string | null;
  payment_provider: 'test' | 'stripe';
  subtotal_cents: number;
  discount_cents: number;
  shipping_cents: number;
  vat_cents: number;
  total_cents: number;
  expires_at: Date;
  paid_at: Date | null;
  created_at: Date;
}

/** An order_lines row. */
export interface OrderLineRow {
  order_id: string;
  variant_id: string | null;
  sku: string;
  title: string;
  variant_title: string;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
  discount_cents: number;
  vat_cents: number;
}

/** What an order row is inserted from (its id, number, status and dates are the database's). */
export interface NewOrderRow {
  customerId: string | null;
  guestSessionHash: Buffer | null;
  accessTokenHash: Buffer;
  email: string;
  shippingAddress: ShippingAddress;
  relayPoint: RelayPoint | null;
  shippingMethodId: string;
  shippingMethodName: string;
  discountCodeId: string | null;
  discountCode: string | null;
  paymentProvider: 'test' | 'stripe';
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  vatCents: number;
  totalCents: number;
  /** The order expires this long after its insert. */
  ttlMinutes: number;
}

/** An order line to insert; its position is its place in the list. */
export type NewOrderLineRow = Omit<OrderLineRow, 'order_id'>;

const ORDER = `id, number, customer_id, guest_session_hash, email, status, shipping_address, relay_point, shipping_method_id,
  shipping_method_name, discount_code_id, discount_code, payment_provider, subtotal_cents, discount_cents,
  shipping_cents, vat_cents, total_cents, expires_at, paid_at, created_at`;
const LINE = `order_id, variant_id, sku, title, variant_title, quantity, unit_price_cents, line_total_cents, discount_cents, vat_cents`;

/**
 * Takes `quantities[i]` units of variant `ids[i]` (ids sorted, each once) with one conditional
 * UPDATE (`stock >= quantity`) after locking the variants in id order, as `releaseHeld` does, so
 * the two never deadlock. Answers each locked variant's stock before, and whether it was taken.
 */
export async function takeStock(tx: Tx, ids: string[], quantities: number[]): Promise<{ id: string; stock: number; taken: boolean }[]> {
  return many(
    tx,
    `WITH locked AS MATERIALIZED (
       SELECT id, stock FROM variants WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
     ), taken AS (
       UPDATE variants v SET stock = v.stock - w.quantity, updated_at = now()
       FROM unnest($1::uuid[], $2::int[]) AS w(id, quantity)
       WHERE v.id = w.id AND v.stock >= w.quantity AND (SELECT count(*) FROM locked) >= 0
       RETURNING v.id
     )
     SELECT locked.id, locked.stock, taken.id IS NOT NULL AS taken FROM locked LEFT JOIN taken ON taken.id = locked.id`,
    [ids, quantities],
  );
}

/** Counts one more use of the code if it is live and under its usage limit (after the variants, as `releaseHeld`); whether it was counted. */
export async function takeDiscountUse(tx: Tx, discountId: string): Promise<boolean> {
  const counted = await exec(
    tx,
    `UPDATE discount_codes SET used_count = used_count + 1
     WHERE id = $1 AND active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())
       AND (usage_limit IS NULL OR used_count < usage_limit)`,
    [discountId],
  );
  return counted === 1;
}

/** Inserts an order (number from the sequence, expiry `ttlMinutes` from now) and its lines in one statement. */
export async function insertOrder(tx: Tx, order: NewOrderRow, lines: NewOrderLineRow[]): Promise<OrderRow> {
  const column = <K extends keyof NewOrderLineRow>(key: K) => lines.map((line) => line[key]);
  return one<OrderRow>(
    tx,
    `WITH placed AS (
       INSERT INTO orders (customer_id, guest_session_hash, access_token_hash, email, shipping_address, relay_point, shipping_method_id,
         shipping_method_name, discount_code_id, discount_code, payment_provider, subtotal_cents, discount_cents,
         shipping_cents, vat_cents, total_cents, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now() + make_interval(mins => $17))
       RETURNING ${ORDER}
     ), lines AS (
       INSERT INTO order_lines (order_id, position, variant_id, sku, title, variant_title, quantity, unit_price_cents,
         line_total_cents, discount_cents, vat_cents)
       SELECT placed.id, u.position, u.variant_id, u.sku, u.title, u.variant_title, u.quantity, u.unit_price_cents,
              u.line_total_cents, u.discount_cents, u.vat_cents
       FROM placed, unnest($18::uuid[], $19::text[], $20::text[], $21::text[], $22::int[], $23::int[], $24::int[], $25::int[], $26::int[])
         WITH ORDINALITY AS u(variant_id, sku, title, variant_title, quantity, unit_price_cents, line_total_cents, discount_cents, vat_cents, position)
     )
     SELECT * FROM placed`,
    [
      order.customerId, order.guestSessionHash, order.accessTokenHash, order.email, JSON.stringify(order.shippingAddress),
      order.relayPoint ? JSON.stringify(order.relayPoint) : null, order.shippingMethodId, order.shippingMethodName,
      order.discountCodeId, order.discountCode, order.paymentProvider, order.subtotalCents, order.discountCents,
      order.shippingCents, order.vatCents, order.totalCents, order.ttlMinutes,
      column('variant_id'), column('sku'), column('title'), column('variant_title'), column('quantity'),
      column('unit_price_cents'), column('line_total_cents'), column('discount_cents'), column('vat_cents'),
    ],
  );
}

/**
 * Gives back the stock and discount use held by these orders. Call only in the transaction that
 * moved them out of pending_payment, so it happens once. Variants are locked in id order, as
 * checkout locks them, so the two never deadlock.
 */
export async function releaseHeld(tx: Tx, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await exec(
    tx,
    `WITH held AS (
       SELECT variant_id, sum(quantity)::int AS quantity FROM order_lines
       WHERE order_id = ANY($1::uuid[]) AND variant_id IS NOT NULL GROUP BY variant_id
     ), locked AS MATERIALIZED (
       SELECT v.id, held.quantity FROM variants v JOIN held ON held.variant_id = v.id ORDER BY v.id FOR UPDATE OF v
     )
     UPDATE variants v SET stock = v.stock + locked.quantity, updated_at = now() FROM locked WHERE v.id = locked.id`,
    [orderIds],
  );
  await exec(
    tx,
    `UPDATE discount_codes d SET used_count = d.used_count - u.uses
     FROM (SELECT discount_code_id AS id, count(*)::int AS uses FROM orders
           WHERE id = ANY($1::uuid[]) AND discount_code_id IS NOT NULL GROUP BY discount_code_id ORDER BY discount_code_id) u
     WHERE d.id = u.id AND d.used_count >= u.uses`,
    [orderIds],
  );
}

/** One order by id. */
export async function findOrder(db: Queryable, id: string): Promise<OrderRow | undefined> {
  return maybeOne<OrderRow>(db, `SELECT ${ORDER} FROM orders WHERE id = $1`, [id]);
}

/** The order with this id whose checkout token or e-mail token hashes to `tokenHash`. */
export async function findOrderByToken(db: Queryable, id: string, tokenHash: Buffer): Promise<OrderRow | undefined> {
  return maybeOne<OrderRow>(db, `SELECT ${ORDER} FROM orders WHERE id = $1 AND (access_token_hash = $2 OR mail_token_hash = $2)`, [id, tokenHash]);
}

/** The lines of these orders, in order. */
export async function findLines(db: Queryable, orderIds: string[]): Promise<OrderLineRow[]> {
  return many<OrderLineRow>(db, `SELECT ${LINE} FROM order_lines WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position`, [orderIds]);
}

// A customer's orders: theirs, and once their address is verified the guest orders placed with it.
const OWNED_BY = `(customer_id = $1 OR (customer_id IS NULL AND email = (
  SELECT c.email FROM customers c WHERE c.id = $1 AND c.email_verified_at IS NOT NULL)))`;

/** One page of a customer's orders (with the guest orders of their verified address), newest first, and how many there are. */
export async function findCustomerOrders(db: Queryable, customerId: string, limit: number, offset: number): Promise<{ rows: OrderRow[]; total: number }> {
  const rows = await many<OrderRow & { total: string }>(
    db,
    `SELECT ${ORDER}, count(*) OVER () AS total FROM orders WHERE ${OWNED_BY} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
    [customerId, limit, offset],
  );
  const total = rows[0] ? Number(rows[0].total) : (await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM orders WHERE ${OWNED_BY}`, [customerId])).n;
  return { rows, total };
}

/** Orders by id, in no particular order. */
export async function findOrders(db: Queryable, ids: string[]): Promise<OrderRow[]> {
  return many<OrderRow>(db, `SELECT ${ORDER} FROM orders WHERE id = ANY($1::uuid[])`, [ids]);
}

/** One order by id, locked until the transaction ends. */
export async function lockOrder(tx: Tx, id: string): Promise<OrderRow | undefined> {
  return maybeOne<OrderRow>(tx, `SELECT ${ORDER} FROM orders WHERE id = $1 FOR UPDATE`, [id]);
}

/** Whether this guest order was placed with the customer's verified address (so it is theirs to see). */
export async function isGuestOrderOfVerifiedEmail(db: Queryable, orderId: string, customerId: string): Promise<boolean> {
  const row = await maybeOne<{ id: string }>(db, `SELECT id FROM orders WHERE id = $2 AND ${OWNED_BY}`, [customerId, orderId]);
  return row !== undefined;
}

/** Moves an order from `from` to `to` if it is still in `from` (one conditional UPDATE); undefined otherwise. */
export async function transition(tx: Tx, id: string, from: OrderStatus, to: OrderStatus): Promise<OrderRow | undefined> {
  return maybeOne<OrderRow>(
    tx,
    `UPDATE orders SET status = $3, updated_at = now(),
       paid_at = CASE WHEN $3 = 'paid' THEN now() ELSE paid_at END,
       cancelled_at = CASE WHEN $3 IN ('cancelled', 'payment_failed') THEN now() ELSE cancelled_at END
     WHERE id = $1 AND status = $2 RETURNING ${ORDER}`,
    [id, from, to],
  );
}

/** Cancels up to `limit` unpaid orders past their expiry, skipping rows another runner holds. */
export async function cancelExpired(tx: Tx, limit: number): Promise<OrderRow[]> {
  return many<OrderRow>(
    tx,
    `UPDATE orders SET status = 'cancelled', cancelled_at = now(), updated_at = now()
     WHERE id IN (
       SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= now()
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ) AND status = 'pending_payment'
     RETURNING ${ORDER}`,
    [limit],
  );
}

/** Replaces the hash of the token of the order's e-mailed link. */
export async function setMailTokenHash(tx: Tx, id: string, tokenHash: Buffer): Promise<void> {
  await exec(tx, 'UPDATE orders SET mail_token_hash = $2 WHERE id = $1', [id, tokenHash]);
}
