import { exec, many, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { ProviderName } from '@girlycrea/contract';

/** A payments row. */
export interface PaymentRow {
  id: string;
  order_id: string;
  provider: ProviderName;
  status: 'pending' | 'succeeded' | 'failed' | 'refund_pending' | 'refunded';
  amount_cents: number;
  refunded_cents: number;
  provider_ref: string | null;
  intent_ref: string | null;
  client_secret: string | null;
  redirect_url: string | null;
  last_error: string | null;
}

/** A refunds row. */
export interface RefundRow {
  id: string;
  payment_id: string;
  amount_cents: number;
  reason: 'order_not_payable' | 'unexpected_amount' | 'requested';
  note: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  provider_ref: string | null;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
}

const PAYMENT = 'id, order_id, provider, status, amount_cents, refunded_cents, provider_ref, intent_ref, client_secret, redirect_url, last_error';
const REFUND = 'id, payment_id, amount_cents, reason, note, status, provider_ref, attempts, max_attempts, next_attempt_at, last_error, created_at';

/** Inserts an order's pending payment. */
export async function insertPayment(tx: Tx, payment: { orderId: string; provider: ProviderName; amountCents: number }): Promise<PaymentRow> {
  return one<PaymentRow>(tx, `INSERT INTO payments (order_id, provider, amount_cents) VALUES ($1, $2, $3) RETURNING ${PAYMENT}`, [
    payment.orderId,
    payment.provider,
    payment.amountCents,
  ]);
}

/** The order's payment. */
export async function findPaymentByOrder(db: Queryable, orderId: string): Promise<PaymentRow | undefined> {
  return maybeOne<PaymentRow>(db, `SELECT ${PAYMENT} FROM payments WHERE order_id = $1`, [orderId]);
}

/** The payment an event names, by order id, Checkout Session or PaymentIntent (first that is known), locked until the transaction ends. */
export async function lockPayment(tx: Tx, ref: { orderId?: string; sessionRef?: string; intentRef?: string }): Promise<PaymentRow | undefined> {
  const orderId = ref.orderId && /^[0-9a-f-]{36}$/i.test(ref.orderId) ? ref.orderId : null;
  return maybeOne<PaymentRow>(
    tx,
    `SELECT ${PAYMENT} FROM payments
     WHERE provider = 'stripe' AND (order_id = $1::uuid OR provider_ref = $2 OR intent_ref = $3)
     ORDER BY (order_id = $1::uuid) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
    [orderId, ref.sessionRef ?? null, ref.intentRef ?? null],
  );
}

/** The payment with this id, locked until the transaction ends. */
export async function lockPaymentById(tx: Tx, id: string): Promise<PaymentRow> {
  return one<PaymentRow>(tx, `SELECT ${PAYMENT} FROM payments WHERE id = $1 FOR UPDATE`, [id]);
}

/** The order's payment, locked until the transaction ends. */
export async function lockPaymentByOrder(tx: Tx, orderId: string): Promise<PaymentRow | undefined> {
  return maybeOne<PaymentRow>(tx, `SELECT ${PAYMENT} FROM payments WHERE order_id = $1 FOR UPDATE`, [orderId]);
}

/** Records the provider's reference once, while the payment is pending; returns the row as stored. */
export async function setProviderRef(db: Queryable, id: string, started: { providerRef: string; clientSecret: string | null; redirectUrl: string | null }): Promise<PaymentRow> {
  const updated = await maybeOne<PaymentRow>(
    db,
    `UPDATE payments SET provider_ref = $2, client_secret = $3, redirect_url = $4, updated_at = now() WHERE id = $1 AND provider_ref IS NULL AND status = 'pending' RETURNING ${PAYMENT}`,
    [id, started.providerRef, started.clientSecret, started.redirectUrl],
  );
  return updated ?? one<PaymentRow>(db, `SELECT ${PAYMENT} FROM payments WHERE id = $1`, [id]);
}

/** Records the PaymentIntent that collects this payment, once. */
export async function setIntentRef(tx: Tx, id: string, intentRef: string): Promise<void> {
  await exec(tx, 'UPDATE payments SET intent_ref = $2, updated_at = now() WHERE id = $1 AND intent_ref IS NULL', [id, intentRef]);
}

/** Sets a payment's status if it is currently `from`; returns whether it changed. */
export async function setStatus(db: Queryable, id: string, from: PaymentRow['status'], to: PaymentRow['status'], lastError: string | null = null): Promise<boolean> {
  return (
    (await exec(db, 'UPDATE payments SET status = $3, last_error = coalesce($4, last_error), updated_at = now() WHERE id = $1 AND status = $2', [
      id,
      from,
      to,
      lastError,
    ])) === 1
  );
}

/** Notes the provider's last refusal without changing the status. */
export async function setLastError(db: Queryable, id: string, lastError: string): Promise<void> {
  await exec(db, 'UPDATE payments SET last_error = $2, updated_at = now() WHERE id = $1', [id, lastError]);
}

/** Raises what the payment has given back to `cents` (never lowers it; capped at the amount). Returns the row. */
export async function raiseRefunded(tx: Tx, id: string, cents: number): Promise<PaymentRow> {
  return one<PaymentRow>(
    tx,
    `UPDATE payments SET refunded_cents = least(amount_cents, greatest(refunded_cents, $2)), updated_at = now() WHERE id = $1 RETURNING ${PAYMENT}`,
    [id, cents],
  );
}

/** Records a provider event; false when it was already recorded (a redelivery, or a concurrent one that committed first). */
export async function recordEvent(tx: Tx, provider: ProviderName, eventId: string, type: string): Promise<boolean> {
  return (await exec(tx, 'INSERT INTO payment_events (provider, event_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [provider, eventId, type])) === 1;
}

/** Queues a refund of the payment (the provider is called after commit, by the caller or the sweep). */
export async function insertRefund(tx: Tx, refund: { paymentId: string; amountCents: number; reason: RefundRow['reason']; note?: string | null }): Promise<RefundRow> {
  return one<RefundRow>(
    tx,
    `INSERT INTO refunds (payment_id, amount_cents, reason, note) VALUES ($1, $2, $3, $4) RETURNING ${REFUND}`,
    [refund.paymentId, refund.amountCents, refund.reason, refund.note ?? null],
  );
}

/**
 * What the payment may still give back: its amount less what is already refunded (ours, raised as
 * each succeeds, and any made in the provider's dashboard) and our refunds still pending.
 */
export async function refundableCents(tx: Tx, payment: PaymentRow): Promise<number> {
  const { pending } = await one<{ pending: number }>(
    tx,
    "SELECT coalesce(sum(amount_cents), 0)::int AS pending FROM refunds WHERE payment_id = $1 AND status = 'pending'",
    [payment.id],
  );
  return payment.amount_cents - payment.refunded_cents - pending;
}

/** The payment's refunds, oldest first. */
export async function findRefunds(db: Queryable, paymentId: string): Promise<RefundRow[]> {
  return many<RefundRow>(db, `SELECT ${REFUND} FROM refunds WHERE payment_id = $1 ORDER BY created_at, id`, [paymentId]);
}

/**
 * Claims up to `limit` refunds due now, skipping rows another runner holds: each claimed row's
 * attempt is counted and its next try pushed back by `backoff` (seconds for that attempt), so a
 * runner that dies mid-call leaves it to a later sweep. `ids` limits the claim to these refunds.
 */
export async function claimDueRefunds(db: Queryable, limit: number, ids: string[] | null = null): Promise<(RefundRow & { intent_ref: string | null; provider: ProviderName })[]> {
  return many(
    db,
    `WITH due AS (
       SELECT id FROM refunds
       WHERE status = 'pending' AND next_attempt_at <= now() AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE refunds r SET attempts = r.attempts + 1, updated_at = now(),
         next_attempt_at = now() + least(interval '6 hours', interval '30 seconds' * power(2, r.attempts))
       FROM due WHERE r.id = due.id
       RETURNING r.*
     )
     SELECT ${REFUND.split(', ')
       .map((column) => `claimed.${column}`)
       .join(', ')}, p.intent_ref, p.provider
     FROM claimed JOIN payments p ON p.id = claimed.payment_id`,
    [limit, ids],
  );
}

/** Marks a refund done with the provider's id; returns false when it was not pending any more. */
export async function markRefundSucceeded(tx: Tx, id: string, providerRef: string): Promise<boolean> {
  return (await exec(tx, "UPDATE refunds SET status = 'succeeded', provider_ref = $2, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'pending'", [id, providerRef])) === 1;
}

/** Notes why a refund attempt failed; past its last attempt the refund is marked failed. Returns its status. */
export async function noteRefundFailure(db: Queryable, id: string, error: string): Promise<RefundRow['status']> {
  const row = await one<{ status: RefundRow['status'] }>(
    db,
    `UPDATE refunds SET last_error = $2, updated_at = now(),
       status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE status END
     WHERE id = $1 RETURNING status`,
    [id, error.slice(0, 500)],
  );
  return row.status;
}

/** The sum of the payment's succeeded refunds. */
export async function succeededRefundCents(tx: Tx, paymentId: string): Promise<number> {
  return (await one<{ cents: number }>(tx, "SELECT coalesce(sum(amount_cents), 0)::int AS cents FROM refunds WHERE payment_id = $1 AND status = 'succeeded'", [paymentId])).cents;
}

/** Records a dispute or its new status. */
export async function upsertDispute(tx: Tx, dispute: { id: string; paymentId: string; amountCents: number; reason: string; status: string }): Promise<void> {
  await exec(
    tx,
    `INSERT INTO payment_disputes (id, payment_id, amount_cents, reason, status) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET amount_cents = EXCLUDED.amount_cents, reason = EXCLUDED.reason, status = EXCLUDED.status, updated_at = now()`,
    [dispute.id, dispute.paymentId, dispute.amountCents, dispute.reason, dispute.status],
  );
}
