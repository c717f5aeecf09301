import { join } from 'node:path';
import type { Pool } from '@girlycrea/db';
import { createMailer, createOutboxWorker } from '@girlycrea/mailer';
import type { Logger } from '@girlycrea/observability/logger';
import type { Metrics } from '@girlycrea/observability/metrics';
import type { Config } from '../config.js';
import { limitsFrom, type Limits } from '../limits.js';
import { createPaymentProviders, type PaymentConfig } from '../modules/payments/providers.js';
import { countExpiryRun, createExpireOrdersJob } from './expire-orders.js';
import { createPasswordResetJob } from './password-resets.js';
import { createReconcilePaymentsJob } from './reconcile-payments.js';
import { createRefundSweepJob } from './refund-sweep.js';

/** The background work of the shop: the e-mail outbox worker, password reset links, the unpaid-order expiry, the refund sweep and the Stripe reconciliation. */
export interface Jobs {
  /** Where e-mails are written as .eml files when there is no SMTP_URL (development, tests). */
  mailCaptureDir: string;
  /** Lets the current pass finish, then closes the SMTP transport. */
  stop(): Promise<void>;
}

/**
 * Starts the outbox worker, the password reset job, the expiry job, the refund sweep and (with Stripe keys) the payment
 * reconciliation. Each claims or locks its rows (FOR UPDATE, SKIP LOCKED where it claims) and changes
 * them conditionally, so any number of processes may run them: the PM2 worker process on the VPS,
 * the API itself in development.
 */
export function startJobs(deps: {
  config: Pick<
    Config,
    'SMTP_URL' | 'MAIL_FROM' | 'DATA_DIR' | 'SHOP_URL' | 'EXPIRE_ORDERS_INTERVAL_MS' | 'REFUND_SWEEP_INTERVAL_MS' | 'RECONCILE_PAYMENTS_INTERVAL_MS' | 'RECONCILE_PAYMENTS_LOOKBACK_HOURS'
  > &
    PaymentConfig &
    Partial<Limits>;
  db: Pool;
  logger: Logger;
  metrics: Metrics;
}): Jobs {
  const { config, db, logger, metrics } = deps;
  // Without SMTP_URL (development, tests) e-mails are written as .eml files instead of being sent.
  const mailCaptureDir = join(config.DATA_DIR, 'mail');
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, captureDir: mailCaptureDir });
  if (!config.SMTP_URL) logger.info({ dir: mailCaptureDir }, 'e-mails capturés en fichiers .eml (pas de SMTP_URL)');
  const outbox = createOutboxWorker({
    pool: db,
    mailer,
    logger: logger.child({ component: 'outbox' }),
    onSent: () => metrics.emailsSent.inc(),
    onFailed: () => metrics.emailsFailed.inc(),
  });
  const expireOrders = createExpireOrdersJob({
    db,
    intervalMs: config.EXPIRE_ORDERS_INTERVAL_MS,
    logger: logger.child({ component: 'expire-orders' }),
    onSuccess: (cancelled) => countExpiryRun(metrics, cancelled),
  });
  const passwordResets = createPasswordResetJob({ db, shopUrl: config.SHOP_URL, logger: logger.child({ component: 'password-resets' }) });
  const providers = createPaymentProviders(config);
  // Refunds Stripe refused are tried again; Stripe's recent payments are compared with our orders.
  const refundSweep = createRefundSweepJob({ db, providers, intervalMs: config.REFUND_SWEEP_INTERVAL_MS, logger: logger.child({ component: 'refund-sweep' }) });
  const reconcilePayments = createReconcilePaymentsJob({
    db,
    providers,
    mail: { shopUrl: config.SHOP_URL, limits: limitsFrom(config) },
    intervalMs: config.RECONCILE_PAYMENTS_INTERVAL_MS,
    lookbackMs: config.RECONCILE_PAYMENTS_LOOKBACK_HOURS * 3_600_000,
    logger: logger.child({ component: 'reconcile-payments' }),
  });
  outbox.start();
  passwordResets.start();
  expireOrders.start();
  refundSweep.start();
  if (providers.stripe) reconcilePayments.start();
  return {
    mailCaptureDir,
    async stop() {
      await Promise.all([outbox.stop(), passwordResets.stop(), expireOrders.stop(), refundSweep.stop(), reconcilePayments.stop()]);
      await mailer.close();
    },
  };
}
