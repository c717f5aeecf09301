import { randomUUID } from 'node:crypto';
import type { CacheStore } from '@girlycrea/cache';
import { withTransaction, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Limits } from '../../limits.js';
import { clearCart, readCart } from '../cart/service.js';
import type { CartOwner } from '../cart/store.js';
import { resolveDelivery, type DeliveryDeps } from '../delivery/service.js';
import type { CheckoutRequest, CheckoutResponse, Order, Payment, ProviderName } from '@girlycrea/contract';
import { hashSecret, prepareOrder } from '../orders/service.js';
import { ensurePayment, providerOrFail, requestPaymentIntent, type PaymentsDeps } from '../payments/service.js';
import { releaseHolds, reserveHolds, type HoldScope } from './holds.js';
import { claimKeyWith, completeStoredResponse, hashRequest } from './idempotency.js';
import { priceQuote, quoteLookup, toQuoteData, type Quote } from './quote.js';
import * as repo from './repo.js';

/** What checkout needs: payments' and delivery's dependencies, the cart store, the abuse limits and how long a customer's unpaid order holds its stock. */
export interface CheckoutDeps extends PaymentsDeps, DeliveryDeps {
  cache: CacheStore;
  orderTtlMinutes: number;
  limits: Limits;
}

/** Who is checking out: the cart's owner, when signed in the customer, and the client's IP key. */
export interface Buyer {
  owner: CartOwner;
  userId: string | null;
  ipKey: string;
}

// Stripe's hosted page lives at least 30 minutes: an order must hold its stock as long, or a late payment is refunded.
const STRIPE_MIN_HOLD_MINUTES = 30;

/** How long an unpaid order holds its stock: shorter for guests, never shorter than the provider's payment page. */
export function holdMinutes(deps: Pick<CheckoutDeps, 'orderTtlMinutes' | 'limits'>, guest: boolean, provider: ProviderName): number {
  const minutes = guest ? Math.min(deps.limits.GUEST_ORDER_PAYMENT_TTL_MINUTES, deps.orderTtlMinutes) : deps.orderTtlMinutes;
  return provider === 'stripe' ? Math.max(minutes, STRIPE_MIN_HOLD_MINUTES) : minutes;
}

/** The parties an order holds stock for (session or customer, e-mail, IP), each with its caps. */
function holdScopes(limits: Limits, buyer: Buyer, email: string): HoldScope[] {
  const perBuyer = { maxOrders: limits.LIMIT_UNPAID_ORDERS, maxUnits: limits.LIMIT_HELD_UNITS };
  return [
    { key: scopeOf(buyer.owner), ...perBuyer },
    { key: `email:${hashSecret(email).toString('base64url')}`, ...perBuyer },
    { key: `ip:${buyer.ipKey}`, maxOrders: limits.LIMIT_UNPAID_ORDERS_PER_IP, maxUnits: limits.LIMIT_HELD_UNITS_PER_IP },
  ];
}

// What the idempotency record holds: the order and its tracking token at commit, then the payment once started.
type StoredCheckout = { order: Order; accessToken: string; payment?: CheckoutResponse['payment'] };

// A session id is a bearer secret: only its hash goes into the database.
const scopeOf = (owner: CartOwner) => `checkout:${owner.kind}:${owner.kind === 'user' ? owner.id : hashSecret(owner.id).toString('hex')}`;

function assertOrderable(quote: Quote, expectedTotalCents: number | undefined): void {
  if (quote.unavailable.length > 0) {
    throw new AppError('out_of_stock', 'Certains articles de votre panier ne sont plus en vente.', {
      details: quote.unavailable.map((item) => ({ variantId: item.variantId, requested: item.quantity, available: 0 })),
    });
  }
  const overCap = quote.lines.filter((line) => line.quantity > line.maxPerOrder);
  if (overCap.length > 0) {
    throw new AppError('conflict', 'Certains articles dépassent la quantité permise par commande : ajustez votre panier.', {
      details: overCap.map((line) => ({ variantId: line.variantId, sku: line.sku, requested: line.quantity, max: line.maxPerOrder })),
    });
  }
  if (quote.discountProblem) throw new AppError('discount_invalid', quote.discountProblem);
  if (expectedTotalCents !== undefined && expectedTotalCents !== quote.pricing.totalCents) {
    const total = quote.pricing.totalCents;
    throw new AppError('price_changed', `Le total de votre commande a changé : il est maintenant de ${(total / 100).toFixed(2).replace('.', ',')} €. Vérifiez-le avant de payer.`, {
      details: { totalCents: total, expectedTotalCents },
    });
  }
  // Stock is not checked here: the conditional UPDATEs in placeOrder are the one guard.
}

/** 409 discount_invalid when this customer or e-mail already used the code as often as it allows (checked under a lock). */
async function assertDiscountAllowed(tx: Tx, discount: NonNullable<Quote['discount']>, customerId: string | null, email: string): Promise<void> {
  const byCustomer = discount.perCustomerLimit !== null && customerId !== null;
  if (!byCustomer && discount.perEmailLimit === null) return;
  await repo.lockDiscountUse(tx, discount.id, [...(byCustomer ? [`c:${customerId}`] : []), `e:${email}`]);
  const uses = await repo.countDiscountUses(tx, { discountId: discount.id, customerId, email });
  if ((byCustomer && uses.by_customer >= discount.perCustomerLimit!) || (discount.perEmailLimit !== null && uses.by_email >= discount.perEmailLimit)) {
    throw new AppError('discount_invalid', 'Vous avez déjà utilisé ce code promo.');
  }
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
 * Places the order in ONE transaction of two statements (a third and fourth when the code limits
 * its uses per buyer): the first claims the idempotency key and reads prices, code and shipping
 * method; the second takes the stock (one conditional decrement per variant), counts the code's use
 * and writes the order, its lines, its payment row and the stored response. No e-mail: the
 * confirmation goes out once the order is paid. Before it, the order's units are reserved against
 * the buyer's caps (session or customer, e-mail, IP), given back if no order is placed. After
 * commit the cart is emptied while the payment is started at the provider. A replay with the same
 * key and body answers the first response, even while the first is still running.
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
  const ttlMinutes = holdMinutes(deps, buyer.userId === null, request.paymentProvider);
  const units = cart.items.reduce((sum, item) => sum + item.quantity, 0);
  const longestHold = Math.max(deps.orderTtlMinutes, deps.limits.GUEST_ORDER_PAYMENT_TTL_MINUTES, STRIPE_MIN_HOLD_MINUTES) * 60_000;
  const checkoutId = hashSecret(`${scope}:${key}`).toString('base64url');
  const hold = units > 0 ? await reserveHolds(deps.cache, holdScopes(deps.limits, buyer, request.email), checkoutId, units, { holdMs: ttlMinutes * 60_000, keyTtlMs: longestHold }) : undefined;
  const outcome = await withTransaction(deps.db, async (tx): Promise<Outcome> => {
    const claim = await claimKeyWith<{ quote: repo.QuoteRows }>(tx, scope, key, requestHash, (params) => repo.quoteColumn(params, lookup));
    if (claim.replay) return { replayed: true, statusCode: claim.replay.statusCode, body: claim.replay.body as StoredCheckout };
    if (cart.items.length === 0) throw new AppError('cart_empty', 'Votre panier est vide.');
    const quote = priceQuote(toQuoteData(lookup, claim.row.quote), input, deps.limits.LIMIT_LINE_QUANTITY);
    assertOrderable(quote, request.expectedTotalCents);
    const { pricing } = quote;
    const discount = pricing.discountCents > 0 ? quote.discount : null;
    if (discount) await assertDiscountAllowed(tx, discount, buyer.userId, request.email);
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
        ttlMinutes,
      },
      claim.row.now,
    );
    const wanted = new Map<string, number>();
    for (const line of quote.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    const ids = [...wanted.keys()].sort();
    const payment = { id: randomUUID(), provider: request.paymentProvider, amountCents: pricing.totalCents };
    const placed = await repo.placeOrder(tx, {
      stock: { ids, quantities: ids.map((id) => wanted.get(id)!) },
      discountId: discount?.id ?? null,
      order: prepared,
      payment,
      response: { scope, key, statusCode: 201, body: { order: prepared.order, accessToken: prepared.accessToken } },
    });
    if (!placed.stockOk) throw outOfStock(quote, wanted, placed);
    if (!placed.discountOk) throw new AppError('discount_invalid', 'Ce code promo vient d’atteindre sa limite d’utilisation.');
    if (placed.number === null) throw new Error('commande non insérée alors que le stock et le code sont passés');
    return { replayed: false, statusCode: 201, order: { ...prepared.order, number: placed.number }, accessToken: prepared.accessToken, payment };
  }).catch(async (error: unknown) => {
    if (hold) await releaseHolds(deps.cache, hold);
    throw error;
  });

  if (outcome.replayed) {
    // The first request holds the stock; a reservation this one took itself (the first's had ended) goes back.
    if (hold) await releaseHolds(deps.cache, hold);
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
