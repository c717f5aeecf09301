import { randomUUID } from 'node:crypto';
import type { CacheStore } from '@girlycrea/cache';
import { withTransaction } from '@girlycrea/db';
import { DEFAULT_MESSAGE_ID_DOMAIN } from '@girlycrea/mailer/outbox';
import { parseTemplateData } from '@girlycrea/mailer/templates';
import { AppError } from '../../http/errors.js';
import { clearCart, readCart } from '../cart/service.js';
import type { CartOwner } from '../cart/store.js';
import { deliveryForEmail } from '../delivery/format.js';
import { resolveDelivery, type Delivery, type DeliveryDeps } from '../delivery/service.js';
import type { Order } from '../orders/schema.js';
import { hashSecret, prepareOrder } from '../orders/service.js';
import type { ProviderName } from '../payments/provider.js';
import type { Payment } from '../payments/schema.js';
import { ensurePayment, providerOrFail, requestPaymentIntent, type PaymentsDeps } from '../payments/service.js';
import { claimKeyWith, completeStoredResponse, hashRequest } from './idempotency.js';
import { priceQuote, quoteLookup, toQuoteData, type Quote } from './quote.js';
import type { CheckoutRequest, CheckoutResponse } from './schema.js';
import * as repo from './repo.js';

/** What checkout needs: payments' and delivery's dependencies, the cart store and how long an unpaid order holds its stock. */
export interface CheckoutDeps extends PaymentsDeps, DeliveryDeps {
  cache: CacheStore;
  orderTtlMinutes: number;
}

/** Who is checking out: the cart's owner and, when signed in, the customer. */
export interface Buyer {
  owner: CartOwner;
  userId: string | null;
}

// What the idempotency record holds: the order and its tracking token at commit, then the payment once started.
type StoredCheckout = { order: Order; accessToken: string; payment?: CheckoutResponse['payment'] };

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

function confirmationEmail(order: Order, delivery: Delivery, orderUrl: string) {
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
      delivery: deliveryForEmail(delivery.carrier, delivery.shippingAddress, delivery.relayPoint),
      vatCents: order.vatCents,
      totalCents: order.totalCents,
      orderUrl,
      createdAt: order.createdAt,
    },
  };
}

function outOfStock(quote: Quote, wanted: Map<string, number>, placed: repo.PlacementResult): AppError {
  const sku = new Map(quote.lines.map((line) => [line.variantId, line.sku]));
  const short = [...wanted].filter(([variantId, quantity]) => (placed.stock.get(variantId) ?? 0) < quantity).sort(([a], [b]) => (a < b ? -1 : 1));
  return new AppError('out_of_stock', 'Stock insuffisant pour certains articles de votre panier.', {
    details: short.map(([variantId, requested]) => ({ variantId, sku: sku.get(variantId), requested, available: placed.stock.get(variantId) ?? 0 })),
  });
}

type Outcome =
  | { replayed: true; statusCode: number; body: StoredCheckout }
  | { replayed: false; statusCode: number; order: Order; accessToken: string; payment: { id: string; provider: ProviderName; amountCents: number } };

/**
 * Places the order in ONE transaction of two statements: the first claims the idempotency key
 * and reads prices, code and shipping method; the second takes the stock (one conditional
 * decrement per variant), counts the code's use and writes the order, its lines, its payment row,
 * its confirmation e-mail and the stored response. After commit the cart is emptied while the
 * payment is started at the provider. A replay with the same key and body answers the first
 * response, even while the first is still running.
 */
export async function checkout(deps: CheckoutDeps, buyer: Buyer, key: string, request: CheckoutRequest): Promise<{ statusCode: number; body: CheckoutResponse }> {
  providerOrFail(deps, request.paymentProvider);
  // Asks the carrier (relay point) before any connection is taken.
  const delivery = await resolveDelivery(deps, request);
  const scope = scopeOf(buyer.owner);
  const requestHash = hashRequest(request);
  // Read before the transaction, so no connection waits on Redis; only the request that claims
  // the key uses it, and the cart is emptied only once that request has committed.
  const cart = await readCart(deps, buyer.owner);
  const input = { items: cart.items, discountCode: cart.discountCode, shippingMethodId: request.shippingMethodId };
  const lookup = quoteLookup(input);
  const outcome = await withTransaction(deps.db, async (tx): Promise<Outcome> => {
    const claim = await claimKeyWith<{ quote: repo.QuoteRows }>(tx, scope, key, requestHash, (params) => repo.quoteColumn(params, lookup));
    if (claim.replay) return { replayed: true, statusCode: claim.replay.statusCode, body: claim.replay.body as StoredCheckout };
    if (cart.items.length === 0) throw new AppError('cart_empty', 'Votre panier est vide.');
    const quote = priceQuote(toQuoteData(lookup, claim.row.quote), input);
    assertOrderable(quote);
    const { pricing } = quote;
    const discount = pricing.discountCents > 0 ? quote.discount : null;
    const prepared = prepareOrder(
      {
        customerId: buyer.userId,
        guestSessionId: buyer.owner.kind === 'guest' ? buyer.owner.id : null,
        email: request.email,
        shippingAddress: delivery.shippingAddress,
        relayPoint: delivery.relayPoint,
        shippingMethod: { id: quote.shippingMethod!.id, name: quote.shippingMethod!.name },
        discount,
        paymentProvider: request.paymentProvider,
        lines: quote.lines,
        subtotalCents: pricing.subtotalCents,
        discountCents: pricing.discountCents,
        shippingCents: pricing.shippingCents,
        vatCents: pricing.vatCents,
        totalCents: pricing.totalCents,
        ttlMinutes: deps.orderTtlMinutes,
      },
      claim.row.now,
    );
    const wanted = new Map<string, number>();
    for (const line of quote.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    const ids = [...wanted.keys()].sort();
    const email = confirmationEmail(prepared.order, delivery, `${deps.shopUrl}/commandes/${prepared.order.id}?token=${prepared.accessToken}`);
    const payment = { id: randomUUID(), provider: request.paymentProvider, amountCents: pricing.totalCents };
    const placed = await repo.placeOrder(tx, {
      stock: { ids, quantities: ids.map((id) => wanted.get(id)!) },
      discountId: discount?.id ?? null,
      order: prepared,
      payment,
      // Checked here as the outbox would check it, so a pricing bug still fails before any write.
      email: { template: email.template, to: email.to, data: parseTemplateData(email.template, email.data), messageId: `<${randomUUID()}@${DEFAULT_MESSAGE_ID_DOMAIN}>` },
      response: { scope, key, statusCode: 201, body: { order: prepared.order, accessToken: prepared.accessToken } },
    });
    if (!placed.stockOk) throw outOfStock(quote, wanted, placed);
    if (!placed.discountOk) throw new AppError('discount_invalid', 'Ce code promo vient d’atteindre sa limite d’utilisation.');
    if (placed.number === null) throw new Error('commande non insérée alors que le stock et le code sont passés');
    return { replayed: false, statusCode: 201, order: { ...prepared.order, number: placed.number }, accessToken: prepared.accessToken, payment };
  });

  if (outcome.replayed) {
    const { order, accessToken, payment: stored } = outcome.body;
    if (stored) return { statusCode: outcome.statusCode, body: { order, accessToken, payment: stored } };
    // The first request did not get to start the payment (crash, provider down): start it now,
    // and complete the stored answer once, so every later replay returns the same.
    const body = { order, accessToken, payment: await ensurePayment(deps, order) };
    await completeStoredResponse(deps.db, scope, key, 'payment', body);
    return { statusCode: outcome.statusCode, body };
  }
  deps.metrics?.ordersCreated.inc();
  const { order, accessToken } = outcome;
  const [, payment] = await Promise.all([clearCart(deps, buyer.owner), startPayment(deps, scope, key, { order, accessToken }, outcome.payment)]);
  return { statusCode: outcome.statusCode, body: { order, accessToken, payment } };
}

// After commit: the provider's intent, then its reference and the completed stored answer in one statement.
async function startPayment(
  deps: CheckoutDeps,
  scope: string,
  key: string,
  placed: { order: Order; accessToken: string },
  pending: { id: string; provider: ProviderName; amountCents: number },
): Promise<Payment> {
  const { order } = placed;
  const intent = await requestPaymentIntent(deps, {
    orderId: order.id,
    orderNumber: order.number,
    provider: pending.provider,
    amountCents: pending.amountCents,
    expiresAt: new Date(order.expiresAt),
  });
  const payment: Payment = {
    id: pending.id,
    orderId: order.id,
    provider: pending.provider,
    status: 'pending',
    amountCents: pending.amountCents,
    currency: 'EUR',
    ...(intent.clientSecret ? { clientSecret: intent.clientSecret } : {}),
    ...(intent.redirectUrl ? { redirectUrl: intent.redirectUrl } : {}),
  };
  const started = await repo.recordPaymentStart(deps.db, { paymentId: pending.id, ...intent, scope, key, body: { ...placed, payment } });
  if (started) return payment;
  // A replay started it first: answer what was recorded.
  const recorded = await ensurePayment(deps, order);
  await completeStoredResponse(deps.db, scope, key, 'payment', { ...placed, payment: recorded });
  return recorded;
}
