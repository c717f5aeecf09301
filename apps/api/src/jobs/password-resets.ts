import type { Pool } from '@girlycrea/db';
import { sendQueuedPasswordResets } from '../modules/accounts/service.js';
import type { JobLogger } from './expire-orders.js';
import { createPeriodicJob } from './periodic.js';

/** Sends the reset links of queued password reset requests every `intervalMs` (default 2 s: a customer is waiting for it). */
export function createPasswordResetJob(options: { db: Pool; shopUrl: string; intervalMs?: number; logger?: JobLogger }) {
  return createPeriodicJob(() => sendQueuedPasswordResets(options), {
    intervalMs: options.intervalMs ?? 2_000,
    logger: options.logger,
    failureMessage: 'envoi des liens de réinitialisation en échec, nouvel essai plus tard',
  });
}
