import { withTransaction, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Order } from '@girlycrea/contract';
import * as orders from '../orders/service.js';
import { MalformedEventError, type CollectedPayment, type PaymentEvent } from './provider.js';
import type { OrderMailDeps } from './order-mail.js';
import { attemptRefunds } from './refunds.js';
import * as repo from './repo.js';
import { countSettled, markPaid, type PaymentsDeps } from './service.js';

// What applying a report did: the order it paid, the refunds it queued.
interface Applied {
  paid?: string;
  /** The order this report paid, for the business metrics. */
  paidOrder?: Order;
  refundIds: string[];
}

/**
 * Money was collected for this payment: the order is marked paid if it still awaits exactly this
 * amount in EUR; otherwise (expired, cancelled, failed, another amount) everything collected is
 * queued for refund. A payment already settled is left alone, so a second report changes nothing.
 */
async function collect(tx: Tx, deps: OrderMailDeps, payment: repo.PaymentRow, amountCents: number | undefined, currency: string | undefined): Promise<Applied> {
  if (payment.status !== 'pending' && payment.status !== 'failed') return { refundIds: [] };
  const expected = amountCents === payment.amount_cents && currency?.toLowerCase() === 'eur';
  if (expected && payment.status === 'pending') {
    const paid = await markPaid(tx, deps, payment);
    if (paid) return { paid: paid.number, paidOrder: paid, refundIds: [] };
  }
  const reason = expected ? 'order_not_payable' : 'unexpected_amount';
  await repo.setStatus(tx, payment.id, payment.status, 'refund_pending', expected ? 'commande expirée ou annulée : remboursement' : 'montant inattendu : remboursement');
  const refund = await repo.insertRefund(tx, { paymentId: payment.id, amountCents: amountCents && amountCents > 0 ? amountCents : payment.amount_cents, reason });
  return { refundIds: [refund.id] };
}

async function apply(tx: Tx, deps: OrderMailDeps, event: PaymentEvent): Promise<Applied> {
  const none: Applied = { refundIds: [] };
  if (event.kind === 'other' && !event.intentRef) return none;
  const payment = await repo.lockPayment(tx, event);
  if (!payment) return none;
  if (event.intentRef && payment.intent_ref === null && event.kind !== 'dispute') await repo.setIntentRef(tx, payment.id, event.intentRef);
  switch (event.kind) {
    case 'succeeded':
      return collect(tx, deps, payment, event.amountCents, event.currency);
    case 'failed':
      // The customer may try another card on the same page until it expires.
      if (payment.status === 'pending') await repo.setLastError(tx, payment.id, event.error ?? 'paiement refusé');
      return none;
    case 'expired':
      // The payment page can no longer be paid: the order gives its stock back now.
      if (payment.status === 'pending') {
        await repo.setStatus(tx, payment.id, 'pending', 'failed', 'page de paiement expirée sans paiement');
        await orders.settleUnpaidOrder(tx, payment.order_id, 'cancelled');
      }
      return none;
    case 'refunded': {
      // Stripe reports the charge's cumulative refunds, ours and any made from its dashboard.
      const updated = await repo.raiseRefunded(tx, payment.id, event.refundedCents ?? 0);
      if (updated.refunded_cents >= updated.amount_cents && payment.status === 'succeeded') {
        await repo.setStatus(tx, payment.id, 'succeeded', 'refunded');
        await orders.markPaidOrderRefunded(tx, payment.order_id);
      }
      return none;
    }
    case 'dispute':
      if (event.dispute) await repo.upsertDispute(tx, { ...event.dispute, paymentId: payment.id });
      return none;
    default:
      return none;
  }
}

/**
 * Applies a signed Stripe event once: its id is recorded in the transaction that applies it, so a
 * redelivery, or the same event delivered concurrently (the second insert waits for the first to
 * commit), changes nothing. Events about one payment are serialised on its row, and each
 * transition is conditional on the payment's current status, so out-of-order events cannot undo
 * a later state (a late failure never un-pays an order). A payment for an order that no longer
 * awaits it is refunded right after commit; if Stripe refuses, the refund sweep retries it.
 * Bad signature: 400 invalid_signature; signed but missing the id, type or object every event has:
 * 400 invalid_request. Nothing changes either way.
 */
export async function handleStripeWebhook(deps: PaymentsDeps, rawBody: Buffer, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
  const stripe = deps.providers.stripe;
  if (!stripe) throw new AppError('not_found', 'Stripe n’est pas configuré.');
  let event: PaymentEvent;
  try {
    event = stripe.verifyWebhook(rawBody, signature ?? '');
  } catch (error) {
    // Signed by Stripe (or whoever holds the secret) yet unusable: a 400 Stripe shows in its dashboard
    // and our access log records with its code, never a 500 on the database's NOT NULL.
    if (error instanceof MalformedEventError) throw new AppError('invalid_request', 'Événement Stripe incomplet.', { cause: error, details: error.problems });
    throw new AppError('invalid_signature', 'Signature Stripe invalide.', { cause: error });
  }
  const applied = await withTransaction(deps.db, async (tx) => {
    if (!(await repo.recordEvent(tx, 'stripe', event.id, event.providerType))) return undefined;
    return apply(tx, deps, event);
  });
  countSettled(deps, applied?.paidOrder);
  // The refund is recorded: a failure here is the sweep's to retry, not a reason for Stripe to redeliver.
  if (applied) await attemptRefunds(deps, { ids: applied.refundIds });
  return { received: true, duplicate: applied === undefined };
}

/** What a reconciliation found. */
export interface Reconciliation {
  /** Successful payments Stripe reported in the window. */
  checked: number;
  /** Orders marked paid by this run (their webhook never arrived). */
  paid: string[];
  /** Payments for orders that no longer awaited them, queued for refund and attempted. */
  refunded: number;
  /** Payments that match no order of ours: reported, never refunded automatically. */
  unmatched: CollectedPayment[];
}

/**
 * Compares Stripe's successful payments since `since` with our orders, applying each as its
 * webhook would have: a pending order is marked paid (with its e-mail), an expired or cancelled
 * one is refunded, a settled one is left alone. A payment carrying no order of ours is only
 * reported: it may come from elsewhere on the same Stripe account (a payment link, the dashboard).
 */
export async function reconcilePayments(deps: Pick<PaymentsDeps, 'db' | 'providers' | 'shopUrl' | 'limits'>, since: Date): Promise<Reconciliation> {
  const stripe = deps.providers.stripe;
  const result: Reconciliation = { checked: 0, paid: [], refunded: 0, unmatched: [] };
  if (!stripe) return result;
  const refundIds: string[] = [];
  for await (const collected of stripe.listCollected(since)) {
    result.checked += 1;
    const applied = await withTransaction(deps.db, async (tx) => {
      const payment = await repo.lockPayment(tx, { ...(collected.orderId ? { orderId: collected.orderId } : {}), intentRef: collected.intentRef });
      if (!payment) return undefined;
      if (payment.intent_ref === null) await repo.setIntentRef(tx, payment.id, collected.intentRef);
      return collect(tx, deps, payment, collected.amountCents, collected.currency);
    });
    if (!applied) result.unmatched.push(collected);
    else {
      if (applied.paid) result.paid.push(applied.paid);
      refundIds.push(...applied.refundIds);
    }
  }
  result.refunded = refundIds.length;
  await attemptRefunds(deps, { ids: refundIds });
  return result;
}
