import { withTransaction, type Tx } from '@girlycrea/db';
import { enqueueEmail } from '@girlycrea/mailer/outbox';
import { formatMoney } from '@girlycrea/mailer/templates';
import { AppError } from '../../http/errors.js';
import { claimKey, hashRequest, storeResponse } from '../idempotency/service.js';
import * as orders from '../orders/service.js';
import * as repo from './repo.js';
import type { PaymentsDeps } from './service.js';

/** A refund as the API shows it. */
export interface Refund {
  id: string;
  orderId: string;
  amountCents: number;
  currency: 'EUR';
  reason: repo.RefundRow['reason'];
  note?: string;
  /** pending: asked, or waiting for the sweep to try again; failed: given up after its last attempt. */
  status: repo.RefundRow['status'];
  attempts: number;
  lastError?: string;
  createdAt: string;
}

const toRefund = (row: repo.RefundRow, orderId: string): Refund => ({
  id: row.id,
  orderId,
  amountCents: row.amount_cents,
  currency: 'EUR',
  reason: row.reason,
  ...(row.note ? { note: row.note } : {}),
  status: row.status,
  attempts: row.attempts,
  ...(row.last_error ? { lastError: row.last_error } : {}),
  createdAt: row.created_at.toISOString(),
});

/** What a run of refund attempts did. */
export interface RefundAttempts {
  succeeded: number;
  /** Still pending: the sweep tries again later. */
  retrying: number;
  /** Past their last attempt: reported, for the owner to refund from Stripe's dashboard. */
  failed: { refundId: string; error: string }[];
}

// Tells the customer, in the refund's own transaction: one e-mail per refund the shop gave.
async function queueRefundEmail(tx: Tx, orderId: string, amountCents: number, payment: { refunded_cents: number; amount_cents: number }): Promise<void> {
  const order = await orders.getOrderForShop(tx, orderId);
  // The payment's total is capped at what was collected; an over-collection refunded is still this refund.
  const refundedTotalCents = Math.max(payment.refunded_cents, amountCents);
  await enqueueEmail(tx, {
    template: 'order_refunded',
    to: order.email,
    data: { orderNumber: order.number, amountCents, refundedTotalCents, isFull: payment.refunded_cents >= payment.amount_cents },
  });
}

// After the provider refunded: the refund row, then the payment's refunded total, payment and order
// statuses, and for a refund the shop gave (not the automatic return of a payment it never accepted,
// which sends nothing, like the rest of an unpaid order) the customer's e-mail, queued only by the
// call that marked the refund succeeded.
async function recordRefunded(deps: Pick<PaymentsDeps, 'db'>, refund: repo.RefundRow, refundRef: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const payment = await repo.lockPaymentById(tx, refund.payment_id);
    if (!(await repo.markRefundSucceeded(tx, refund.id, refundRef))) return;
    const updated = await repo.raiseRefunded(tx, payment.id, await repo.succeededRefundCents(tx, payment.id));
    if (refund.reason === 'requested') await queueRefundEmail(tx, payment.order_id, refund.amount_cents, updated);
    if (payment.status === 'refund_pending') {
      // A payment the shop never accepted: giving back what was collected settles it.
      await repo.setStatus(tx, payment.id, 'refund_pending', 'refunded');
    } else if (payment.status === 'succeeded' && updated.refunded_cents >= updated.amount_cents) {
      await repo.setStatus(tx, payment.id, 'succeeded', 'refunded');
      await orders.markPaidOrderRefunded(tx, payment.order_id);
    }
  });
}

/**
 * Calls the provider for the refunds due now (only `ids` when given), each with the refund's id as
 * idempotency key, so a retry after a lost answer never refunds twice. A failure is noted and the
 * refund stays pending with a growing delay (30 s, 1 min, 2 min… up to 6 h) until its last attempt.
 */
export async function attemptRefunds(deps: Pick<PaymentsDeps, 'db' | 'providers'>, options: { ids?: string[]; limit?: number } = {}): Promise<RefundAttempts> {
  const result: RefundAttempts = { succeeded: 0, retrying: 0, failed: [] };
  if (options.ids?.length === 0) return result;
  const due = await repo.claimDueRefunds(deps.db, options.limit ?? 50, options.ids ?? null);
  for (const refund of due) {
    const provider = deps.providers[refund.provider];
    try {
      if (!provider) throw new Error(`moyen de paiement « ${refund.provider} » non configuré`);
      // The test provider collects nothing, so it has no PaymentIntent; its refund needs none.
      const intentRef = refund.intent_ref ?? (refund.provider === 'test' ? `test_${refund.payment_id}` : null);
      if (!intentRef) throw new Error('paiement sans référence de PaymentIntent');
      const { refundRef } = await provider.refund({ intentRef, amountCents: refund.amount_cents, idempotencyKey: `gc-refund-${refund.id}` });
      await recordRefunded(deps, refund, refundRef);
      result.succeeded += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if ((await repo.noteRefundFailure(deps.db, refund.id, message)) === 'failed') result.failed.push({ refundId: refund.id, error: message });
      else result.retrying += 1;
    }
  }
  return result;
}

/**
 * Refunds part or all of a paid order from our side (the admin's action): `amountCents` absent
 * means everything still refundable. Idempotent per order and key: a replay answers the same
 * refund (with its current status), never a second one. The refund is recorded before the
 * provider is called; if the call fails it stays pending and the sweep retries it.
 * 404 unknown order; 409 invalid_state when the order's payment was not collected; 400 when the
 * amount exceeds what is left to refund.
 */
export async function refundPayment(
  deps: Pick<PaymentsDeps, 'db' | 'providers'>,
  input: { orderId: string; key: string; amountCents?: number; note?: string },
): Promise<{ statusCode: number; body: { refund: Refund } }> {
  const scope = `refund:${input.orderId}`;
  const stored = await withTransaction(deps.db, async (tx) => {
    const replay = await claimKey(tx, scope, input.key, hashRequest({ amountCents: input.amountCents ?? null, note: input.note ?? null }));
    if (replay) return replay;
    const payment = await repo.lockPaymentByOrder(tx, input.orderId);
    if (!payment) throw new AppError('not_found', 'Commande introuvable.');
    if (payment.status !== 'succeeded') throw new AppError('invalid_state', 'Seul un paiement encaissé peut être remboursé.', { details: { paymentStatus: payment.status } });
    const refundable = await repo.refundableCents(tx, payment);
    const amount = input.amountCents ?? refundable;
    if (amount <= 0 || amount > refundable) {
      throw new AppError('invalid_request', `Montant à rembourser invalide : il reste ${formatMoney(refundable)} remboursables.`, {
        details: [{ path: 'amountCents', message: `entre 1 et ${refundable} centimes` }],
      });
    }
    const refund = await repo.insertRefund(tx, { paymentId: payment.id, amountCents: amount, reason: 'requested', note: input.note ?? null });
    const response = { statusCode: 201, body: { refund: toRefund(refund, input.orderId) } };
    await storeResponse(tx, scope, input.key, response);
    return response;
  });
  const { id } = (stored.body as { refund: Refund }).refund;
  await attemptRefunds(deps, { ids: [id] });
  const current = (await repo.findRefunds(deps.db, (await repo.findPaymentByOrder(deps.db, input.orderId))!.id)).find((row) => row.id === id)!;
  return { statusCode: stored.statusCode, body: { refund: toRefund(current, input.orderId) } };
}
