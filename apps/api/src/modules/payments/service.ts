import { withTransaction, type Pool, type Tx } from '@girlycrea/db';
import type { Metrics } from '@girlycrea/observability/metrics';
import { AppError } from '../../http/errors.js';
import { claimKey, hashRequest, storeResponse, type StoredResponse } from '../idempotency/service.js';
import type { Order, Payment, ProviderName, TestConfirmRequest } from '@girlycrea/contract';
import * as orders from '../orders/service.js';
import type { PaymentProvider, PaymentProviders, StartedPayment } from './provider.js';
import { queueOrderConfirmation, queuePaymentFailed, type OrderMailDeps } from './order-mail.js';
import * as repo from './repo.js';

/** What payments need: the database, the configured providers, the shop's URL for e-mail links and return pages, and the e-mail caps. */
export interface PaymentsDeps extends OrderMailDeps {
  db: Pool;
  providers: PaymentProviders;
  /** Business counters (orders paid, revenue, declined payments); absent in some tests. */
  metrics?: Metrics;
}

/** Counts an order that just left pending_payment (paid or payment_failed), once its transaction committed. */
export function countSettled(deps: PaymentsDeps, order: Order | undefined): void {
  if (!deps.metrics || !order) return;
  if (order.status === 'paid') {
    deps.metrics.ordersPaid.inc();
    deps.metrics.revenueCents.inc(order.totalCents);
  } else if (order.status === 'payment_failed') {
    deps.metrics.ordersCancelled.inc({ reason: 'payment_failed' });
    deps.metrics.checkoutFailures.inc({ reason: 'payment_declined' });
  }
}

const toPayment = (row: repo.PaymentRow): Payment => ({
  id: row.id,
  orderId: row.order_id,
  provider: row.provider,
  status: row.status,
  amountCents: row.amount_cents,
  currency: 'EUR',
  ...(row.client_secret ? { clientSecret: row.client_secret } : {}),
  ...(row.redirect_url ? { redirectUrl: row.redirect_url } : {}),
});

/** The provider of this name, or 400 when this process does not offer it. */
export function providerOrFail(deps: Pick<PaymentsDeps, 'providers'>, name: ProviderName): PaymentProvider {
  const provider = deps.providers[name];
  if (!provider) {
    throw new AppError('invalid_request', 'Ce moyen de paiement n’est pas disponible.', { details: [{ path: 'paymentProvider', message: 'moyen de paiement indisponible' }] });
  }
  return provider;
}

/** The providers a checkout may choose here, the test provider first (it exists only in development and CI). */
export function listProviders(deps: Pick<PaymentsDeps, 'providers'>): ProviderName[] {
  return (['test', 'stripe'] as const).filter((name) => deps.providers[name] !== undefined);
}

/** Where the customer lands after paying on the provider's page (the French confirmation) and after giving up (the cart). */
export function returnUrls(shopUrl: string, orderId: string): { successUrl: string; cancelUrl: string } {
  return {
    successUrl: `${shopUrl}/commande/confirmation/${orderId}?paiement=stripe`,
    cancelUrl: `${shopUrl}/panier?paiement=annule&commande=${orderId}`,
  };
}

/**
 * Asks the provider to start collecting an order's amount (after the order committed). The
 * provider call is idempotent per order, so a replay or a retry never starts a second payment.
 * Provider unreachable: 503, and a replay of the checkout tries again.
 */
async function requestPaymentIntent(
  deps: Pick<PaymentsDeps, 'providers' | 'shopUrl'>,
  payment: { orderId: string; orderNumber: string; provider: ProviderName; amountCents: number; expiresAt: Date },
): Promise<StartedPayment> {
  const provider = providerOrFail(deps, payment.provider);
  return provider
    .createIntent({ ...payment, ...returnUrls(deps.shopUrl, payment.orderId) })
    .catch((error: unknown) => {
      throw new AppError('service_unavailable', 'Le paiement est momentanément indisponible : réessayez avec la même clé Idempotency-Key.', { cause: error });
    });
}

/** Inserts a new order's pending payment in the caller's transaction (started at the provider after commit). */
export async function createPayment(tx: Tx, payment: { orderId: string; provider: ProviderName; amountCents: number }): Promise<Payment> {
  return toPayment(await repo.insertPayment(tx, payment));
}

/**
 * Starts a pending payment at the provider (after its order committed) and records the provider's
 * answer once: when a replay recorded one first, answers that one.
 */
export async function startPayment(deps: PaymentsDeps, payment: Payment, order: Pick<Order, 'number' | 'expiresAt'>): Promise<Payment> {
  const started = await requestPaymentIntent(deps, {
    orderId: payment.orderId,
    orderNumber: order.number,
    provider: payment.provider,
    amountCents: payment.amountCents,
    expiresAt: new Date(order.expiresAt),
  });
  return toPayment(await repo.setProviderRef(deps.db, payment.id, started));
}

/**
 * The order's payment, started at the provider if it was not yet (after the order committed). The
 * provider call is idempotent per order, so a replay or a retry never starts a second payment.
 * Provider unreachable: 503, and a replay of the checkout tries again.
 */
export async function ensurePayment(deps: PaymentsDeps, order: Pick<Order, 'id' | 'number' | 'expiresAt'>): Promise<Payment> {
  const row = await repo.findPaymentByOrder(deps.db, order.id);
  if (!row) throw new AppError('not_found', 'Paiement introuvable.');
  if (row.provider_ref !== null || row.status !== 'pending') return toPayment(row);
  return startPayment(deps, toPayment(row), order);
}

/**
 * Marks a pending payment's order paid with one conditional UPDATE and, in the same transaction,
 * the payment succeeded and the order confirmation queued (the first e-mail the order sends):
 * however many events or reconciliations report the payment, only the first gets here. Undefined
 * when the order no longer awaits payment (expired, cancelled): nothing changed.
 */
export async function markPaid(tx: Tx, deps: OrderMailDeps, payment: repo.PaymentRow): Promise<Order | undefined> {
  const paid = await orders.settleUnpaidOrder(tx, payment.order_id, 'paid');
  if (!paid) return undefined;
  await repo.setStatus(tx, payment.id, payment.status, 'succeeded');
  await queueOrderConfirmation(tx, deps, paid);
  return paid;
}

/**
 * The test provider's outcome for an order the caller may see: succeed → paid (confirmation
 * queued), fail → payment_failed (stock given back, one message queued, no confirmation); both
 * within the daily e-mail caps. Same key and body: the
 * first answer; an order no longer awaiting payment (expired…) is 409 invalid_state.
 */
export async function confirmTestPayment(
  deps: PaymentsDeps,
  input: { orderId: string; key: string; viewer: orders.OrderViewer } & TestConfirmRequest,
): Promise<StoredResponse> {
  if (!deps.providers.test) throw new AppError('not_found', 'Le moyen de paiement de test est désactivé.');
  // Checked before the idempotency record so a stored answer is never shown to someone else.
  const order = await orders.getOrderForViewer(deps.db, input.orderId, input.viewer);
  if (order.paymentProvider !== 'test') throw new AppError('invalid_state', 'Cette commande se règle par carte bancaire (Stripe).');
  const scope = `payment-confirm:${order.id}`;
  let settled: Order | undefined;
  const answer = await withTransaction(deps.db, async (tx) => {
    settled = undefined;
    const replay = await claimKey(tx, scope, input.key, hashRequest({ outcome: input.outcome }));
    if (replay) return replay;
    const payment = await repo.lockPaymentByOrder(tx, order.id);
    let updated: Order | undefined;
    if (input.outcome === 'succeed') {
      updated = payment?.status === 'pending' ? await markPaid(tx, deps, payment) : undefined;
      if (!updated) {
        updated = await orders.settleUnpaidOrderOrFail(tx, order.id, 'paid');
        await queueOrderConfirmation(tx, deps, updated);
      }
    } else {
      updated = await orders.settleUnpaidOrderOrFail(tx, order.id, 'payment_failed');
      if (payment) await repo.setStatus(tx, payment.id, 'pending', 'failed', 'refusé (paiement de test)');
      await queuePaymentFailed(tx, deps, updated);
    }
    settled = updated;
    const response = { statusCode: 200, body: { order: updated } };
    await storeResponse(tx, scope, input.key, response);
    return response;
  });
  countSettled(deps, settled);
  return answer;
}
