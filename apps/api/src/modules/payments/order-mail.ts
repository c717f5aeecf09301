import { one, type Tx } from '@girlycrea/db';
import { enqueueEmail, type EmailToEnqueue } from '@girlycrea/mailer/outbox';
import type { Limits } from '../../limits.js';
import { findVariantThumbnails } from '../catalog/service.js';
import { carrierOf } from '../delivery/carriers.js';
import { deliveryForEmail } from '../delivery/format.js';
import type { Order } from '@girlycrea/contract';
import { issueMailToken } from '../orders/service.js';

/** What order e-mails need: links to the shop and the daily caps. */
export interface OrderMailDeps {
  shopUrl: string;
  limits: Pick<Limits, 'MAIL_PER_ADDRESS_PER_DAY' | 'MAIL_PER_SESSION_PER_DAY'>;
}

/**
 * Whether an e-mail about `orderId` may still go out today: fewer than the cap already queued to
 * its address, and fewer than the cap of the same buyer's other orders (session or customer) paid
 * or declined in the last day — so nobody can spray mail through the shop.
 */
async function isUnderMailCaps(tx: Tx, limits: OrderMailDeps['limits'], orderId: string, to: string): Promise<boolean> {
  const counts = await one<{ to_address: number; by_buyer: number }>(
    tx,
    `SELECT
       (SELECT count(*) FROM email_outbox WHERE to_address = $2 AND created_at > now() - interval '1 day')::int AS to_address,
       (SELECT count(*) FROM orders o JOIN orders other
          ON other.id <> o.id AND ((o.customer_id IS NOT NULL AND other.customer_id = o.customer_id)
                                OR (o.guest_session_hash IS NOT NULL AND other.guest_session_hash = o.guest_session_hash))
        WHERE o.id = $1 AND other.updated_at > now() - interval '1 day' AND other.status <> 'pending_payment' AND other.status <> 'cancelled')::int AS by_buyer`,
    [orderId, to],
  );
  return counts.to_address < limits.MAIL_PER_ADDRESS_PER_DAY && counts.by_buyer < limits.MAIL_PER_SESSION_PER_DAY;
}

async function queueCapped(tx: Tx, deps: OrderMailDeps, orderId: string, message: EmailToEnqueue): Promise<boolean> {
  if (!(await isUnderMailCaps(tx, deps.limits, orderId, message.to))) return false;
  await enqueueEmail(tx, message);
  return true;
}

// E-mail lines are single lines of at most `max` characters: catalog text is made to fit, never refused.
const emailText = (text: string, max: number) => text.replace(/\p{Cc}+/gu, ' ').trim().slice(0, max);

/**
 * Queues the order confirmation once the order is paid (never before: nothing goes to an address
 * nobody paid for), with a link token of its own (only its hash is kept; the confirmation page's token keeps working).
 * Text the customer typed (name, address, phone) only appears in the delivery block, labelled as
 * the address given: the rest holds only the shop's words and the catalog's. False when a daily cap held it back.
 */
export async function queueOrderConfirmation(tx: Tx, deps: OrderMailDeps, order: Order): Promise<boolean> {
  if (!(await isUnderMailCaps(tx, deps.limits, order.id, order.email))) return false;
  const token = await issueMailToken(tx, order.id);
  const thumbnails = await findVariantThumbnails(tx, order.lines.flatMap((line) => (line.variantId ? [line.variantId] : [])));
  await enqueueEmail(tx, {
    template: 'order_confirmation',
    to: order.email,
    data: {
      orderNumber: order.number,
      lines: order.lines.map((line) => ({
        title: emailText(line.title, 200) || line.sku,
        ...(emailText(line.variantTitle, 200) ? { variantTitle: emailText(line.variantTitle, 200) } : {}),
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
        lineTotalCents: line.lineTotalCents,
        ...(line.variantId && thumbnails.has(line.variantId) ? { imageUrl: new URL(thumbnails.get(line.variantId)!, deps.shopUrl).href } : {}),
      })),
      subtotalCents: order.subtotalCents,
      discountCents: order.discountCents,
      shippingCents: order.shippingCents,
      shippingMethod: order.shippingMethod.name,
      // Where the parcel goes, under its own heading: the customer's words, never the shop's.
      delivery: deliveryForEmail(carrierOf(order.shippingMethod.id), order.shippingAddress, order.relayPoint ?? null),
      vatCents: order.vatCents,
      totalCents: order.totalCents,
      orderUrl: `${deps.shopUrl}/commandes/${order.id}?token=${token}`,
      createdAt: order.createdAt,
    },
  });
  return true;
}

/** Queues the one message a declined payment sends (no confirmation), within the daily caps. */
export async function queuePaymentFailed(tx: Tx, deps: OrderMailDeps, order: Order): Promise<boolean> {
  return queueCapped(tx, deps, order.id, { template: 'payment_failed', to: order.email, data: { orderNumber: order.number, retryUrl: `${deps.shopUrl}/panier` } });
}
