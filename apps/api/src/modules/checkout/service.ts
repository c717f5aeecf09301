import type { CacheStore } from '@girlycrea/cache';
import { withTransaction } from '@girlycrea/db';
import { enqueueEmail } from '@girlycrea/mailer/outbox';
import { AppError } from '../../http/errors.js';
import { clearCart, readCart } from '../cart/service.js';
import type { CartOwner } from '../cart/store.js';
import type { Order } from '../orders/schema.js';
import { createOrder, hashSecret } from '../orders/service.js';
import { createPaymentRecord, ensurePayment, providerOrFail, type PaymentsDeps } from '../payments/service.js';
import { claimKey, completeStoredResponse, hashRequest, storeResponse } from './idempotency.js';
import { quoteItems, type Quote } from './quote.js';
import type { CheckoutRequest, CheckoutResponse } from './schema.js';
import * as repo from './repo.js';

/** What checkout needs: payments' dependencies, the cart store and how long an unpaid order holds its stock. */
export interface CheckoutDeps extends PaymentsDeps {
  cache: CacheStore;
  orderTtlMinutes: number;
}

/** Who is checking out: the cart's owner and, when signed in, the customer. */
export interface Buyer {
  owner: CartOwner;
  userId: string | null;
}

// What the idempotency record holds: the order at commit, then the payment once started.
type StoredCheckout = { order: Order; payment?: CheckoutResponse['payment'] };

// A session id is a bearer secret: only its hash goes into the database.
const scopeOf = (owner: CartOwner) => `checkout:${owner.kind}:${owner.kind === 'user' ? owner.id : hashSecret(owner.id).toString('hex')}`;

function assertOrderable(quote: Quote): void {
  if (quote.unavailable.length > 0) {
    throw new AppError('out_of_stock', 'Certains articles de votre panier ne sont plus en vente.', {
      details: quote.unavailable.map((item) => ({ variantId: item.variantId, requested: item.quantity, available: 0 })),
    });
  }
  if (quote.discountProblem) throw new AppError('discount_invalid', quote.discountProblem);
  // Stock is not checked here: the conditional UPDATEs in createOrder are the one guard.
}

// E-mail lines are single lines of at most `max` characters: catalog text is made to fit, never refused.
const emailText = (text: string, max: number) => text.replace(/\p{Cc}+/gu, ' ').trim().slice(0, max);

function confirmationEmail(order: Order, orderUrl: string) {
  return {
    template: 'order_confirmation' as const,
    to: order.email,
    data: {
      name: order.shippingAddress.name,
      orderNumber: order.number,
      lines: order.lines.map((line) => ({
        title: emailText(line.title, 200) || line.sku,
        ...(emailText(line.variantTitle, 200) ? { variantTitle: emailText(line.variantTitle, 200) } : {}),
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
        lineTotalCents: line.lineTotalCents,
      })),
      subtotalCents: order.subtotalCents,
      discountCents: order.discountCents,
      shippingCents: order.shippingCents,
      shippingMethod: order.shippingMethod.name,
      vatCents: order.vatCents,
      totalCents: order.totalCents,
      orderUrl,
      createdAt: order.createdAt,
    },
  };
}

/**
 * Places the order in ONE transaction: idempotency record, server pricing, stock decrements (one
 * conditional UPDATE per variant), discount use, order and lines, payment row and confirmation
 * e-mail. After commit the cart is emptied and the payment started at the provider. A replay with
 * the same key and body answers the first response, even while the first is still running.
 */
export async function checkout(deps: CheckoutDeps, buyer: Buyer, key: string, request: CheckoutRequest): Promise<{ statusCode: number; body: CheckoutResponse }> {
  providerOrFail(deps, request.paymentProvider);
  const scope = scopeOf(buyer.owner);
  const outcome = await withTransaction(deps.db, async (tx) => {
    const replay = await claimKey(tx, scope, key, hashRequest(request));
    if (replay) return { replayed: true, statusCode: replay.statusCode, body: replay.body as StoredCheckout };
    // Read only after the key is ours: the first request empties the cart only once it has committed.
    const cart = await readCart(deps, buyer.owner);
    if (cart.items.length === 0) throw new AppError('cart_empty', 'Votre panier est vide.');
    const quote = await quoteItems(tx, { items: cart.items, discountCode: cart.discountCode, shippingMethodId: request.shippingMethodId });
    assertOrderable(quote);
    const { pricing } = quote;
    const { order, accessToken } = await createOrder(tx, {
      customerId: buyer.userId,
      guestSessionId: buyer.owner.kind === 'guest' ? buyer.owner.id : null,
      email: request.email,
      shippingAddress: request.shippingAddress,
      shippingMethod: { id: quote.shippingMethod!.id, name: quote.shippingMethod!.name },
      discount: pricing.discountCents > 0 ? quote.discount : null,
      paymentProvider: request.paymentProvider,
      lines: quote.lines,
      subtotalCents: pricing.subtotalCents,
      discountCents: pricing.discountCents,
      shippingCents: pricing.shippingCents,
      vatCents: pricing.vatCents,
      totalCents: pricing.totalCents,
      ttlMinutes: deps.orderTtlMinutes,
    });
    if (quote.discount && pricing.discountCents > 0 && !(await repo.consumeDiscount(tx, quote.discount.id))) {
      throw new AppError('discount_invalid', 'Ce code promo vient d’atteindre sa limite d’utilisation.');
    }
    await createPaymentRecord(tx, order);
    await enqueueEmail(tx, confirmationEmail(order, `${deps.shopUrl}/commandes/${order.id}?token=${accessToken}`));
    await storeResponse(tx, scope, key, { statusCode: 201, body: { order } });
    return { replayed: false, statusCode: 201, body: { order } as StoredCheckout };
  });
  if (!outcome.replayed) await clearCart(deps, buyer.owner);
  const { order, payment: stored } = outcome.body;
  if (stored) return { statusCode: outcome.statusCode, body: { order, payment: stored } };
  // The payment is started after commit; the stored answer is completed with it once, so every
  // replay returns exactly the first complete response.
  const body = { order, payment: await ensurePayment(deps, order) };
  await completeStoredResponse(deps.db, scope, key, 'payment', body);
  return { statusCode: outcome.statusCode, body };
}
