import { join } from 'node:path';
import type { Pool } from '@girlycrea/db';
import { createMailer, createOutboxWorker } from '@girlycrea/mailer';
import type { Logger } from '@girlycrea/observability/logger';
import type { Metrics } from '@girlycrea/observability/metrics';
import type { Config } from '../config.js';
import { createExpireOrdersJob } from './expire-orders.js';

/** The background work of the shop: the e-mail outbox worker and the unpaid-order expiry job. */
export interface Jobs {
  /** Where e-mails are written as .eml files when there is no SMTP_URL (development, tests). */
  mailCaptureDir: string;
  /** Lets the current pass finish, then closes the SMTP transport. */
  stop(): Promise<void>;
}

/**
 * Starts the outbox worker and the expiry job. Both claim rows with FOR UPDATE SKIP LOCKED, so any
 * number of processes may run them: the PM2 worker process on the VPS, the API itself in development.
 */
export function startJobs(deps: {
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'DATA_DIR' | 'EXPIRE_ORDERS_INTERVAL_MS'>;
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
  });
  outbox.start();
  expireOrders.start();
  return {
    mailCaptureDir,
    async stop() {
      await Promise.all([outbox.stop(), expireOrders.stop()]);
      await mailer.close();
    },
  };
}
