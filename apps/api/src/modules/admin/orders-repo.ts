import { exec, many, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { OrderStatus } from '@girlycrea/contract';

/** A line of the back office's order list. */
export interface OrderSummaryRow {
  id: string;
  number: string;
  status: OrderStatus;
  email: string;
  name: string;
  total_cents: number;
  payment_status: string | null;
  created_at: Date;
}

/** What the order list can be narrowed to. */
export interface OrderFilter {
  status?: OrderStatus | undefined;
  paymentStatus?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

// One WHERE for the list and its count; `to` is a day, included whole.
const FILTER = `WHERE ($1::text IS NULL OR o.status = $1)
  AND ($2::text IS NULL OR p.status = $2)
  AND ($3::date IS NULL OR o.created_at >= $3::date)
  AND ($4::date IS NULL OR o.created_at < $4::date + 1)
  AND ($5::text IS NULL OR o.number ILIKE '%' || $5 || '%' OR o.email ILIKE '%' || $5 || '%' OR o.shipping_address->>'name' ILIKE '%' || $5 || '%')`;

const filterParams = (filter: OrderFilter) => [
  filter.status ?? null,
  filter.paymentStatus ?? null,
  filter.from ?? null,
  filter.to ?? null,
  filter.q ? filter.q.replace(/[\\%_]/g, (c) => `\\${c}`) : null,
];

/** One page of orders matching `filter`, newest first, with the total count. */
export async function findOrders(db: Queryable, filter: OrderFilter, limit: number, offset: number): Promise<{ rows: OrderSummaryRow[]; total: number }> {
  const params = filterParams(filter);
  const rows = await many<OrderSummaryRow>(
    db,
    `SELECT o.id, o.number, o.status, o.email, o.shipping_address->>'name' AS name, o.total_cents, p.status AS payment_status, o.created_at
     FROM orders o LEFT JOIN payments p ON p.order_id = o.id ${FILTER}
     ORDER BY o.created_at DESC, o.id DESC LIMIT $6 OFFSET $7`,
    [...params, limit, offset],
  );
  const { total } = await one<{ total: number }>(db, `SELECT count(*)::int AS total FROM orders o LEFT JOIN payments p ON p.order_id = o.id ${FILTER}`, params);
  return { rows, total };
}

/** Shipping details of an order. */
export interface ShippingRow {
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
}

/** The order's carrier, tracking number and dates. */
export async function findShipping(db: Queryable, orderId: string): Promise<ShippingRow> {
  return one<ShippingRow>(db, 'SELECT carrier, tracking_number, shipped_at, delivered_at FROM orders WHERE id = $1', [orderId]);
}

/** Notes the carrier and tracking number of a shipped order. */
export async function setShipped(tx: Tx, orderId: string, carrier: string, trackingNumber: string): Promise<void> {
  await exec(tx, 'UPDATE orders SET carrier = $2, tracking_number = $3, shipped_at = now() WHERE id = $1', [orderId, carrier, trackingNumber]);
}

/** Notes the delivery date. */
export async function setDelivered(tx: Tx, orderId: string): Promise<void> {
  await exec(tx, 'UPDATE orders SET delivered_at = now() WHERE id = $1', [orderId]);
}

/** The e-mails queued about an order (matched by recipient and order number). */
export async function findOrderEmails(db: Queryable, email: string, orderNumber: string): Promise<{ id: string; template: string; status: string; created_at: Date; sent_at: Date | null }[]> {
  return many(
    db,
    `SELECT id, template, status, created_at, sent_at FROM email_outbox
     WHERE to_address = $1 AND data->>'orderNumber' = $2 ORDER BY created_at, id`,
    [email, orderNumber],
  );
}

/** The payment and its refunds, as the detail page shows them. */
export async function findPayment(db: Queryable, orderId: string) {
  const payment = await maybeOne<{ id: string; provider: string; status: string; amount_cents: number; refunded_cents: number }>(
    db,
    'SELECT id, provider, status, amount_cents, refunded_cents FROM payments WHERE order_id = $1',
    [orderId],
  );
  const refunds = payment
    ? await many<{ id: string; amount_cents: number; status: string; note: string | null; created_at: Date }>(
        db,
        'SELECT id, amount_cents, status, note, created_at FROM refunds WHERE payment_id = $1 ORDER BY created_at, id',
        [payment.id],
      )
    : [];
  return { payment, refunds };
}
