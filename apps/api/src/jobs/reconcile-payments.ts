import type { Pool } from '@girlycrea/db';
import { reconcilePayments, type Reconciliation } from '../modules/payments/events.js';
import type { OrderMailDeps } from '../modules/payments/order-mail.js';
import type { PaymentProviders } from '../modules/payments/provider.js';
import type { JobLogger } from './expire-orders.js';
import { createPeriodicJob } from './periodic.js';

/** How the reconciliation runs. */
export interface ReconcilePaymentsOptions {
  db: Pool;
  providers: PaymentProviders;
  /** Links and daily caps of the confirmation e-mail an order paid by the reconciliation sends. */
  mail: OrderMailDeps;
  logger?: JobLogger;
  /** Pause between runs. Default 15 min. */
  intervalMs?: number;
  /** How far back each run asks Stripe for successful payments. Default 72 h (Stripe retries a webhook for 3 days). */
  lookbackMs?: number;
}

/**
 * Asks Stripe for the payments it collected recently and applies each one our database does not
 * show as settled, as its webhook would have: so no money is taken without an order. The rule:
 * a payment for an order still awaiting it marks the order paid (and sends its e-mail); one for an
 * expired or cancelled order, or of another amount, is refunded; one that names no order of ours
 * is logged as an error for the owner to look at in Stripe, never refunded automatically.
 * Safe to run anywhere at once: each payment is applied under its row lock, conditionally.
 */
export function createReconcilePaymentsJob(options: ReconcilePaymentsOptions) {
  const intervalMs = options.intervalMs ?? 15 * 60_000;
  const lookbackMs = options.lookbackMs ?? 72 * 3_600_000;
  const deps = { db: options.db, providers: options.providers, ...options.mail };

  /** One pass over the lookback window. */
  async function runOnce(): Promise<Reconciliation> {
    const result = await reconcilePayments(deps, new Date(Date.now() - lookbackMs));
    if (result.paid.length > 0) options.logger?.error({ orders: result.paid }, 'paiements Stripe sans webhook reçu : commandes marquées payées par la réconciliation');
    if (result.refunded > 0) options.logger?.info({ refunds: result.refunded }, 'paiements pour des commandes expirées : remboursement lancé par la réconciliation');
    for (const payment of result.unmatched) {
      options.logger?.error(
        { paymentIntent: payment.intentRef, amountCents: payment.amountCents, orderId: payment.orderId ?? null },
        'paiement Stripe encaissé sans commande correspondante : à vérifier dans le tableau de bord Stripe',
      );
    }
    return result;
  }

  return createPeriodicJob(runOnce, { intervalMs, logger: options.logger, failureMessage: 'réconciliation des paiements Stripe en échec, nouvel essai plus tard' });
}

/** A running reconciliation. */
export type ReconcilePaymentsJob = ReturnType<typeof createReconcilePaymentsJob>;
