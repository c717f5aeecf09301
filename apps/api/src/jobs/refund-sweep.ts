import type { Pool } from '@girlycrea/db';
import type { PaymentProviders } from '../modules/payments/provider.js';
import { attemptRefunds, type RefundAttempts } from '../modules/payments/refunds.js';
import type { JobLogger } from './expire-orders.js';
import { createPeriodicJob } from './periodic.js';

/** How the refund sweep runs. */
export interface RefundSweepOptions {
  db: Pool;
  providers: PaymentProviders;
  logger?: JobLogger;
  /** Pause between runs. Default 60 s. */
  intervalMs?: number;
  /** Refunds attempted per run. Default 50. */
  batchSize?: number;
}

/**
 * Retries refunds whose provider call failed (Stripe down, a timeout): every run calls the
 * provider for the pending refunds that are due, each with its own idempotency key, so a refund is
 * never paid twice even when two sweeps and a webhook overlap (rows are claimed SKIP LOCKED and
 * leased by pushing their next attempt back). A refund past its last attempt is logged as an error
 * for the owner to settle in Stripe's dashboard.
 */
export function createRefundSweepJob(options: RefundSweepOptions) {
  const intervalMs = options.intervalMs ?? 60_000;
  const deps = { db: options.db, providers: options.providers };

  /** One pass over the refunds due now. */
  async function runOnce(): Promise<RefundAttempts> {
    const result = await attemptRefunds(deps, { limit: options.batchSize ?? 50 });
    if (result.succeeded > 0 || result.retrying > 0) options.logger?.info({ ...result }, 'remboursements en attente retentés');
    for (const failure of result.failed) {
      options.logger?.error({ refundId: failure.refundId, err: failure.error }, 'remboursement abandonné après sa dernière tentative : à faire depuis le tableau de bord Stripe');
    }
    return result;
  }

  return createPeriodicJob(runOnce, { intervalMs, logger: options.logger, failureMessage: 'relance des remboursements en échec, nouvel essai plus tard' });
}

/** A running refund sweep. */
export type RefundSweepJob = ReturnType<typeof createRefundSweepJob>;
