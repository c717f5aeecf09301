import { exec, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { ProviderName } from './provider.js';

/** A payments row. */
export interface PaymentRow {
  id: string;
  order_id: string;
  provider: ProviderName;
  status: 'pending' | 'succeeded' | 'failed' | 'refund_pending' | 'refunded';
  amount_cents: number;
  provider_ref: string | null;
  client_secret: string | null;
  last_error: string | null;
}

const PAYMENT = 'id, order_id, provider, status, amount_cents, provider_ref, client_secret, last_error';

/** The order's payment. */
export async function findPaymentByOrder(db: Queryable, orderId: string): Promise<PaymentRow | undefined> {
  return maybeOne<PaymentRow>(db, `SELECT ${PAYMENT} FROM payments WHERE order_id = $1`, [orderId]);
}

/** The payment with this provider reference. */
export async function findPaymentByRef(db: Queryable, providerRef: string): Promise<PaymentRow | undefined> {
  return maybeOne<PaymentRow>(db, `SELECT ${PAYMENT} FROM payments WHERE provider_ref = $1`, [providerRef]);
}

/** The payment with this provider reference, locked until the transaction ends. */
export async function lockPaymentByRef(tx: Tx, providerRef: string): Promise<PaymentRow | undefined> {
  return maybeOne<PaymentRow>(tx, `SELECT ${PAYMENT} FROM payments WHERE provider_ref = $1 FOR UPDATE`, [providerRef]);
}

/** Records the provider's reference once; returns the row as stored. */
export async function setProviderRef(db: Queryable, id: string, providerRef: string, clientSecret: string | null): Promise<PaymentRow> {
  const updated = await maybeOne<PaymentRow>(
    db,
    `UPDATE payments SET provider_ref = $2, client_secret = $3, updated_at = now() WHERE id = $1 AND provider_ref IS NULL RETURNING ${PAYMENT}`,
    [id, providerRef, clientSecret],
  );
  return updated ?? one<PaymentRow>(db, `SELECT ${PAYMENT} FROM payments WHERE id = $1`, [id]);
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

/** Records a provider event; false when it was already recorded (a redelivery). */
export async function recordEvent(tx: Tx, provider: ProviderName, eventId: string, type: string): Promise<boolean> {
  return (await exec(tx, 'INSERT INTO payment_events (provider, event_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [provider, eventId, type])) === 1;
}
