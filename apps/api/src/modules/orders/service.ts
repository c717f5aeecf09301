import { createHash, randomBytes } from 'node:crypto';
import { withTransaction, type Pool, type Queryable, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Order, OrderList, OrderStatus, RelayPoint, ShippingAddress } from '@girlycrea/contract';
import * as repo from './repo.js';
import { canTransition, STATUS_LABEL } from './status.js';

/** Who asks to see an order: a signed-in customer, the guest session that placed it, or a token holder. */
export interface OrderViewer {
  userId?: string | null;
  sessionId?: string | null;
  token?: string | null;
}

/** A priced line to put in a new order. */
export interface NewOrderLine {
  variantId: string;
  sku: string;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  discountCents: number;
  vatCents: number;
}

/** Everything a new order is made of, already priced by the server. */
export interface NewOrder {
  customerId: string | null;
  guestSessionId: string | null;
  email: string;
  shippingAddress: ShippingAddress;
  relayPoint: RelayPoint | null;
  shippingMethod: { id: string; name: string };
  discount: { id: string; code: string } | null;
  paymentProvider: 'test' | 'stripe';
  lines: NewOrderLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  vatCents: number;
  totalCents: number;
  ttlMinutes: number;
}

/** sha256 of a secret (session id, access token): what the database keeps instead of it. */
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function toOrder(row: repo.OrderRow, lines: repo.OrderLineRow[]): Order {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    lines: lines.map((line) => ({
      variantId: line.variant_id,
      sku: line.sku,
      title: line.title,
      variantTitle: line.variant_title,
      quantity: line.quantity,
      unitPriceCents: line.unit_price_cents,
      lineTotalCents: line.line_total_cents,
      discountCents: line.discount_cents,
      vatCents: line.vat_cents,
    })),
    subtotalCents: row.subtotal_cents,
    discountCents: row.discount_cents,
    shippingCents: row.shipping_cents,
    vatCents: row.vat_cents,
    totalCents: row.total_cents,
    currency: 'EUR',
    email: row.email,
    shippingAddress: row.shipping_address,
    shippingMethod: { id: row.shipping_method_id, name: row.shipping_method_name },
    ...(row.relay_point ? { relayPoint: row.relay_point } : {}),
    ...(row.discount_code ? { discountCode: row.discount_code } : {}),
    paymentProvider: row.payment_provider,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ...(row.paid_at ? { paidAt: row.paid_at.toISOString() } : {}),
  };
}

async function withLines(db: Queryable, rows: repo.OrderRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const lines = await repo.findLines(db, rows.map((row) => row.id));
  return rows.map((row) => toOrder(row, lines.filter((line) => line.order_id === row.id)));
}

/**
 * Inserts a new, unpaid order and its lines in the caller's transaction (number, dates and status
 * are the database's) and answers it as the API shows it, with the access token of its
 * confirmation page: shown once, only its hash is stored.
 */
export async function createOrder(tx: Tx, input: NewOrder): Promise<{ order: Order; accessToken: string }> {
  const accessToken = randomBytes(32).toString('base64url');
  const lines = input.lines.map((line) => ({
    variant_id: line.variantId,
    sku: line.sku,
    title: line.title,
    variant_title: line.variantTitle,
    quantity: line.quantity,
    unit_price_cents: line.unitPriceCents,
    line_total_cents: line.lineTotalCents,
    discount_cents: line.discountCents,
    vat_cents: line.vatCents,
  }));
  const row = await repo.insertOrder(
    tx,
    {
      customerId: input.customerId,
      guestSessionHash: input.guestSessionId ? hashSecret(input.guestSessionId) : null,
      accessTokenHash: hashSecret(accessToken),
      email: input.email,
      shippingAddress: input.shippingAddress,
      relayPoint: input.relayPoint,
      shippingMethodId: input.shippingMethod.id,
      shippingMethodName: input.shippingMethod.name,
      discountCodeId: input.discount?.id ?? null,
      discountCode: input.discount?.code ?? null,
      paymentProvider: input.paymentProvider,
      subtotalCents: input.subtotalCents,
      discountCents: input.discountCents,
      shippingCents: input.shippingCents,
      vatCents: input.vatCents,
      totalCents: input.totalCents,
      ttlMinutes: input.ttlMinutes,
    },
    lines,
  );
  return { order: toOrder(row, lines.map((line) => ({ ...line, order_id: row.id }))), accessToken };
}

/**
 * Takes the units a new order holds (variant id → quantity), all or none: `taken` is false when a
 * variant is short, and the caller must roll back. `stock` is each variant's stock before.
 */
export async function takeStock(tx: Tx, wanted: Map<string, number>): Promise<{ taken: boolean; stock: Map<string, number> }> {
  const ids = [...wanted.keys()].sort();
  const rows = await repo.takeStock(tx, ids, ids.map((id) => wanted.get(id)!));
  return { taken: rows.length === ids.length && rows.every((row) => row.taken), stock: new Map(rows.map((row) => [row.id, row.stock])) };
}

/** Counts a new order's use of a discount code; false (the caller must roll back) when the code just ran out or ended. */
export async function takeDiscountUse(tx: Tx, discountId: string): Promise<boolean> {
  return repo.takeDiscountUse(tx, discountId);
}

/** The order if the viewer may see it: its customer (or the verified owner of its guest address), the guest session that placed it, or its token; 404 otherwise. */
export async function getOrderForViewer(db: Queryable, id: string, viewer: OrderViewer): Promise<Order> {
  const row = viewer.token ? await repo.findOrderByToken(db, id, hashSecret(viewer.token)) : await repo.findOrder(db, id);
  const allowed =
    row !== undefined &&
    (Boolean(viewer.token) ||
      (viewer.userId != null && row.customer_id === viewer.userId) ||
      (viewer.sessionId != null && row.guest_session_hash !== null && row.guest_session_hash.equals(hashSecret(viewer.sessionId))) ||
      (viewer.userId != null && row.customer_id === null && (await repo.isGuestOrderOfVerifiedEmail(db, row.id, viewer.userId))));
  if (!row || !allowed) throw new AppError('not_found', 'Commande introuvable.');
  return (await withLines(db, [row]))[0]!;
}

/** One page of the customer's orders, with the guest orders of their verified address, newest first. */
export async function listOrders(db: Pool, customerId: string, page: number, limit: number): Promise<OrderList> {
  const { rows, total } = await repo.findCustomerOrders(db, customerId, limit, (page - 1) * limit);
  return { items: await withLines(db, rows), page, limit, total };
}

function invalidState(status: OrderStatus, to: OrderStatus): AppError {
  const reason = status === 'cancelled' ? 'elle a expiré ou a été annulée' : `elle est ${STATUS_LABEL[status]}`;
  return new AppError('invalid_state', `Impossible de passer cette commande à « ${STATUS_LABEL[to]} » : ${reason}.`, { details: { status } });
}

/**
 * Moves an unpaid order to paid, payment_failed or cancelled with one conditional UPDATE; the two
 * failures give its stock and discount use back in the same transaction, so exactly once.
 * Returns undefined (nothing changed) when the order is no longer pending_payment.
 */
export async function settleUnpaidOrder(tx: Tx, id: string, to: 'paid' | 'payment_failed' | 'cancelled'): Promise<Order | undefined> {
  if (!canTransition('pending_payment', to)) throw invalidState('pending_payment', to);
  const row = await repo.transition(tx, id, 'pending_payment', to);
  if (!row) return undefined;
  if (to !== 'paid') await repo.releaseHeld(tx, [row.id]);
  return (await withLines(tx, [row]))[0]!;
}

/** Like `settleUnpaidOrder`, but an order no longer pending is 409 invalid_state (404 when unknown). */
export async function settleUnpaidOrderOrFail(tx: Tx, id: string, to: 'paid' | 'payment_failed' | 'cancelled'): Promise<Order> {
  const order = await settleUnpaidOrder(tx, id, to);
  if (order) return order;
  const current = await repo.findOrder(tx, id);
  if (!current) throw new AppError('not_found', 'Commande introuvable.');
  throw invalidState(current.status, to);
}

/** Cancels up to `limit` expired unpaid orders and gives their stock back, safely alongside other runners. */
export async function expireUnpaidOrders(db: Pool, limit: number): Promise<Order[]> {
  return withTransaction(db, async (tx) => {
    const rows = await repo.cancelExpired(tx, limit);
    await repo.releaseHeld(tx, rows.map((row) => row.id));
    return withLines(tx, rows);
  });
}

/**
 * Gives the order a new token for an e-mailed link and returns it (an earlier e-mailed one stops
 * working); the token the checkout gave the confirmation page keeps working.
 */
export async function issueMailToken(tx: Tx, id: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.setMailTokenHash(tx, id, hashSecret(token));
  return token;
}

/** Moves a paid order to refunded (everything given back); undefined when it is not paid (shipped, already refunded…). */
export async function markPaidOrderRefunded(tx: Tx, id: string): Promise<Order | undefined> {
  const row = await repo.transition(tx, id, 'paid', 'refunded');
  return row ? (await withLines(tx, [row]))[0] : undefined;
}

/**
 * The shop moves an order along (back office): 404 unknown, 409 invalid_state when the state
 * machine forbids it. Cancelling a paid order gives its stock and discount use back, once.
 * Returns the row before and the order after, for the audit log.
 */
export async function moveOrder(tx: Tx, id: string, to: OrderStatus): Promise<{ before: Order; after: Order }> {
  const current = await repo.lockOrder(tx, id);
  if (!current) throw new AppError('not_found', 'Commande introuvable.');
  if (!canTransition(current.status, to)) throw invalidState(current.status, to);
  const row = (await repo.transition(tx, id, current.status, to))!;
  if (to === 'cancelled') await repo.releaseHeld(tx, [row.id]);
  const [before, after] = await withLines(tx, [current, row]);
  return { before: before!, after: after! };
}

/** Any order by id, for the shop's own staff (no viewer check); 404 when unknown. */
export async function getOrderForShop(db: Queryable, id: string): Promise<Order> {
  const row = await repo.findOrder(db, id);
  if (!row) throw new AppError('not_found', 'Commande introuvable.');
  return (await withLines(db, [row]))[0]!;
}

/** Orders by id in the given order, for the shop's own staff (unknown ids are left out). */
export async function getOrdersForShop(db: Queryable, ids: string[]): Promise<Order[]> {
  const rows = await repo.findOrders(db, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return withLines(db, ids.flatMap((id) => byId.get(id) ?? []));
}
