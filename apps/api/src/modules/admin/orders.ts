import { many, withTransaction, type Pool } from '@girlycrea/db';
import { enqueueEmail } from '@girlycrea/mailer/outbox';
import { AppError } from '../../http/errors.js';
import type { Order, OrderStatus } from '@girlycrea/contract';
import * as orders from '../orders/service.js';
import type { PaymentProviders } from '../payments/provider.js';
import { refundPayment } from '../payments/refunds.js';
import { recordAudit, type Actor } from './audit.js';
import { findInvoice, type Invoice } from './invoices.js';
import * as repo from './orders-repo.js';
import type { AdminOrderQuery, RefundRequest, ShipRequest } from './schema.js';

/** What the back office's order use cases need. */
export interface AdminOrdersDeps {
  db: Pool;
  providers: PaymentProviders;
}

/** One order in the back office list. */
export interface OrderSummary {
  id: string;
  number: string;
  status: OrderStatus;
  email: string;
  name: string;
  totalCents: number;
  paymentStatus: string | null;
  createdAt: string;
}

/** One page of orders matching the filters, newest first. */
export async function listOrders(db: Pool, query: AdminOrderQuery): Promise<{ items: OrderSummary[]; page: number; limit: number; total: number }> {
  const { rows, total } = await repo.findOrders(db, query, query.limit, (query.page - 1) * query.limit);
  return {
    items: rows.map((row) => ({
      id: row.id,
      number: row.number,
      status: row.status,
      email: row.email,
      name: row.name,
      totalCents: row.total_cents,
      paymentStatus: row.payment_status,
      createdAt: row.created_at.toISOString(),
    })),
    page: query.page,
    limit: query.limit,
    total,
  };
}

/** An order with everything the owner needs to handle it. */
export interface OrderDetail {
  order: Order;
  shipping: { carrier: string | null; trackingNumber: string | null; shippedAt: string | null; deliveredAt: string | null };
  payment: { provider: string; status: string; amountCents: number; refundedCents: number } | null;
  refunds: { id: string; amountCents: number; status: string; note: string | null; createdAt: string }[];
  emails: { template: string; status: string; createdAt: string; sentAt: string | null }[];
  invoice: Invoice | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The order, its shipping, payment, refunds, e-mails and invoice; 404 when unknown. */
export async function getOrderDetail(db: Pool, id: string): Promise<OrderDetail> {
  const order = await orders.getOrderForShop(db, id);
  const [shipping, { payment, refunds }, emails, invoice] = await Promise.all([
    repo.findShipping(db, id),
    repo.findPayment(db, id),
    repo.findOrderEmails(db, order.email, order.number),
    findInvoice(db, id),
  ]);
  return {
    order,
    shipping: { carrier: shipping.carrier, trackingNumber: shipping.tracking_number, shippedAt: iso(shipping.shipped_at), deliveredAt: iso(shipping.delivered_at) },
    payment: payment ? { provider: payment.provider, status: payment.status, amountCents: payment.amount_cents, refundedCents: payment.refunded_cents } : null,
    refunds: refunds.map((r) => ({ id: r.id, amountCents: r.amount_cents, status: r.status, note: r.note, createdAt: r.created_at.toISOString() })),
    emails: emails.map((e) => ({ template: e.template, status: e.status, createdAt: e.created_at.toISOString(), sentAt: iso(e.sent_at) })),
    invoice: invoice ?? null,
  };
}

/** paid → en préparation; 409 from any other status. */
export async function startPreparing(db: Pool, actor: Actor, id: string): Promise<Order> {
  return withTransaction(db, async (tx) => {
    const { before, after } = await orders.moveOrder(tx, id, 'preparing');
    await recordAudit(tx, actor, { action: 'order.prepare', entityType: 'order', entityId: id, before: { status: before.status }, after: { status: after.status } });
    return after;
  });
}

/** paid | en préparation → expédiée with carrier and tracking number; queues the "expédiée" e-mail in the same transaction. */
export async function shipOrder(db: Pool, actor: Actor, id: string, input: ShipRequest): Promise<Order> {
  return withTransaction(db, async (tx) => {
    const { before, after } = await orders.moveOrder(tx, id, 'shipped');
    await repo.setShipped(tx, id, input.carrier, input.trackingNumber);
    await enqueueEmail(tx, {
      template: 'order_shipped',
      to: after.email,
      data: { orderNumber: after.number, carrier: input.carrier, trackingNumber: input.trackingNumber, ...(input.trackingUrl ? { trackingUrl: input.trackingUrl } : {}) },
    });
    await recordAudit(tx, actor, {
      action: 'order.ship',
      entityType: 'order',
      entityId: id,
      before: { status: before.status },
      after: { status: after.status, carrier: input.carrier, trackingNumber: input.trackingNumber },
    });
    return after;
  });
}

/** expédiée → livrée. */
export async function markDelivered(db: Pool, actor: Actor, id: string): Promise<Order> {
  return withTransaction(db, async (tx) => {
    const { before, after } = await orders.moveOrder(tx, id, 'delivered');
    await repo.setDelivered(tx, id);
    await recordAudit(tx, actor, { action: 'order.deliver', entityType: 'order', entityId: id, before: { status: before.status }, after: { status: after.status } });
    return after;
  });
}

/** Cancels a paid order not yet shipped and puts its stock back; the money is refunded separately. */
export async function cancelOrder(db: Pool, actor: Actor, id: string): Promise<Order> {
  return withTransaction(db, async (tx) => {
    const { before, after } = await orders.moveOrder(tx, id, 'cancelled');
    await recordAudit(tx, actor, {
      action: 'order.cancel',
      entityType: 'order',
      entityId: id,
      before: { status: before.status },
      after: { status: after.status, restocked: after.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })) },
    });
    return after;
  });
}

/**
 * Refunds all or part of an order through its payment provider (idempotent per key: a replay
 * answers the same refund and writes no second audit entry).
 */
export async function refundOrder(deps: AdminOrdersDeps, actor: Actor, id: string, key: string, input: RefundRequest) {
  await orders.getOrderForShop(deps.db, id);
  const before = await repo.findPayment(deps.db, id);
  const result = await refundPayment(deps, { orderId: id, key, ...input });
  const { refund } = result.body;
  await withTransaction(deps.db, async (tx) => {
    const seen = await many(tx, "SELECT 1 FROM audit_log WHERE action = 'order.refund' AND after->>'refundId' = $1", [refund.id]);
    if (seen.length > 0) return;
    await recordAudit(tx, actor, {
      action: 'order.refund',
      entityType: 'order',
      entityId: id,
      before: { refundedCents: before.payment?.refunded_cents ?? 0 },
      after: { refundId: refund.id, amountCents: refund.amountCents, status: refund.status, note: refund.note ?? null },
    });
  });
  return result;
}

/** Paid orders (paid, en préparation, expédiée, livrée, remboursée) between two days, oldest first, for the CSV export. */
export async function ordersForExport(db: Pool, range: { from?: string | undefined; to?: string | undefined }): Promise<Order[]> {
  const ids = await many<{ id: string }>(
    db,
    `SELECT id FROM orders WHERE paid_at IS NOT NULL
       AND ($1::date IS NULL OR paid_at >= $1::date) AND ($2::date IS NULL OR paid_at < $2::date + 1)
     ORDER BY paid_at, number LIMIT 10000`,
    [range.from ?? null, range.to ?? null],
  );
  if (ids.length === 10000) throw new AppError('invalid_request', 'Trop de commandes pour un seul export : choisissez une période plus courte.');
  return orders.getOrdersForShop(db, ids.map((row) => row.id));
}

/** An admin's e-mail (the label of their authenticator entry). */
export async function adminEmail(db: Pool, id: string): Promise<string | undefined> {
  const [row] = await many<{ email: string }>(db, "SELECT email FROM customers WHERE id = $1 AND role = 'admin'", [id]);
  return row?.email;
}
