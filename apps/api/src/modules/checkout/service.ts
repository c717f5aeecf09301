import type { CacheStore } from '@girlycrea/cache';
import { withTransaction, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Limits } from '../../limits.js';
import { clearCart, readCart } from '../cart/service.js';
import type { CartOwner } from '../cart/store.js';
import { resolveDelivery, type DeliveryDeps } from '../delivery/service.js';
import type { CheckoutRequest, CheckoutResponse, Order, Payment, ProviderName } from '@girlycrea/contract';
import { createOrder, hashSecret, takeDiscountUse, takeStock } from '../orders/service.js';
import { createPayment, ensurePayment, providerOrFail, startPayment, type PaymentsDeps } from '../payments/service.js';
import { releaseHolds, reserveHolds, type HoldScope } from './holds.js';
import { claimKeyWith, completeStoredResponse, hashRequest, storeResponse } from '../idempotency/service.js';
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
  // Stock is not checked here: the conditional UPDATE of takeStock is the one guard.
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

function outOfStock(quote: Quote, wanted: Map<string, number>, stock: Map<string, number>): AppError {
  const sku = new Map(quote.lines.map((line) => [line.variantId, line.sku]));
  const short = [...wanted].filter(([variantId, quantity]) => (stock.get(variantId) ?? 0) < quantity).sort(([a], [b]) => (a < b ? -1 : 1));
  return new AppError('out_of_stock', 'Stock insuffisant pour certains articles de votre panier.', {
    details: short.map(([variantId, requested]) => ({ variantId, sku: sku.get(variantId), requested, available: stock.get(variantId) ?? 0 })),
  });
}

type Outcome =
  | { replayed: true; statusCode: number; body: StoredCheckout }
  | { replayed: false; statusCode: number; order: Order; accessToken: string; payment: Payment };

/**
 * Places the order in one transaction, each table written by its own module: the idempotency key
 * is claimed (reading prices, code and shipping method in the same statement), the stock taken
 * (one conditional decrement per variant), the code's use counted, then the order with its lines,
 * its pending payment and the stored response are inserted. No e-mail: the confirmation goes out
 * once the order is paid. Before it, the order's units are reserved against the buyer's caps
 * (session or customer, e-mail, IP), given back if no order is placed. After commit the cart is
 * emptied while the payment is started at the provider. A replay with the same key and body
 * answers the first response, even while the first is still running.
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
    const wanted = new Map<string, number>();
    for (const line of quote.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    // Stock first, then the code, in the order releaseHeld locks them: the two never deadlock.
    const stock = await takeStock(tx, wanted);
    if (!stock.taken) throw outOfStock(quote, wanted, stock.stock);
    if (discount && !(await takeDiscountUse(tx, discount.id))) throw new AppError('discount_invalid', 'Ce code promo vient d’atteindre sa limite d’utilisation.');
    const { order, accessToken } = await createOrder(tx, {
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
    });
    const payment = await createPayment(tx, { orderId: order.id, provider: request.paymentProvider, amountCents: pricing.totalCents });
    await storeResponse(tx, scope, key, { statusCode: 201, body: { order, accessToken } satisfies StoredCheckout });
    return { replayed: false, statusCode: 201, order, accessToken, payment };
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
  const [, payment] = await Promise.all([clearCart(deps, buyer.owner), startAndStore(deps, scope, key, { order, accessToken }, outcome.payment)]);
  return { statusCode: outcome.statusCode, body: { order, accessToken, payment } };
}

// After commit: the provider's intent, then the stored answer completed with it (once).
async function startAndStore(deps: CheckoutDeps, scope: string, key: string, placed: { order: Order; accessToken: string }, pending: Payment): Promise<Payment> {
  const payment = await startPayment(deps, pending, placed.order);
  await completeStoredResponse(deps.db, scope, key, 'payment', { ...placed, payment });
  return payment;
}
