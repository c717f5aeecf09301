import type { Pool } from '@girlycrea/db';
import type { Metrics } from '@girlycrea/observability/metrics';
import { purgeOutbox, type OutboxRetention } from '@girlycrea/mailer/outbox';
import { purgeIdempotencyKeys } from '../modules/idempotency/service.js';
import { expireUnpaidOrders } from '../modules/orders/service.js';
import { createPeriodicJob } from './periodic.js';

/** The subset of a pino logger the job uses. */
export interface JobLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** How the expiry job runs; only `db` is required. */
export interface ExpireOrdersOptions {
  db: Pool;
  logger?: JobLogger;
  /** Pause between runs. Default 60 s. */
  intervalMs?: number;
  /** Orders cancelled per transaction. Default 100. */
  batchSize?: number;
  /** Idempotency records older than this are deleted on each run (replays after that create anew). Default 7. */
  idempotencyRetentionDays?: number;
  /** Sent and failed e-mails older than this are deleted on each run (they carry personal data). Defaults: 30 and 90 days. */
  outboxRetention?: OutboxRetention;
  /** Told after each successful pass, with how many orders it cancelled (for the metrics). */
  onSuccess?: (cancelled: number) => void;
}

/**
 * Cancels unpaid orders past their expiry and gives their stock back, then drops what is kept only for
 * a while (old idempotency records, finished e-mails). Safe in every process at once:
 * orders are claimed with FOR UPDATE SKIP LOCKED and moved out of pending_payment by a conditional
 * UPDATE in the transaction that releases their stock, so each order releases it exactly once.
 */
export function createExpireOrdersJob(options: ExpireOrdersOptions) {
  const intervalMs = options.intervalMs ?? 60_000;
  const batchSize = options.batchSize ?? 100;

  /** One pass: cancels expired orders batch after batch, then purges; returns how many orders it cancelled. */
  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const cancelled = await expireUnpaidOrders(options.db, batchSize);
      total += cancelled.length;
      if (cancelled.length > 0) options.logger?.info({ orders: cancelled.map((order) => order.number) }, 'commandes impayées expirées, stock rendu');
      if (cancelled.length < batchSize) break;
    }
    await purgeIdempotencyKeys(options.db, options.idempotencyRetentionDays ?? 7);
    await purgeOutbox(options.db, options.outboxRetention);
    options.onSuccess?.(total);
    return total;
  }

  return createPeriodicJob(runOnce, { intervalMs, logger: options.logger, failureMessage: 'expiration des commandes impayées en échec, nouvel essai plus tard' });
}

/** A running expiry job. */
export type ExpireOrdersJob = ReturnType<typeof createExpireOrdersJob>;

/** Records a successful pass of the expiry job: its time (the staleness alert reads it) and the orders it cancelled. */
export function countExpiryRun(metrics: Metrics, cancelled: number): void {
  metrics.expiryJobLastSuccess.setToCurrentTime();
  metrics.ordersCancelled.inc({ reason: 'expired' }, cancelled);
}
