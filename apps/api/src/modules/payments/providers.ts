import type { Config } from '../../config.js';
import { createTestProvider, type PaymentProviders } from './provider.js';
import { createStripeProvider } from './stripe-provider.js';

/** The configuration keys that choose the payment providers. */
export type PaymentConfig = Pick<Config, 'NODE_ENV'> &
  Partial<Pick<Config, 'PAYMENT_TEST_PROVIDER' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE'>>;

/**
 * The providers this process offers: `test` outside production unless turned off, never in
 * production (throws if asked, so a wrong setting cannot start a shop that gives goods away);
 * `stripe` when its keys are set.
 */
export function createPaymentProviders(config: PaymentConfig): PaymentProviders {
  if (config.NODE_ENV === 'production' && config.PAYMENT_TEST_PROVIDER === 'on') {
    throw new Error('PAYMENT_TEST_PROVIDER=on est interdit en production : le paiement de test marque une commande payée sans encaisser.');
  }
  const testEnabled = config.NODE_ENV !== 'production' && config.PAYMENT_TEST_PROVIDER !== 'off';
  return {
    ...(testEnabled ? { test: createTestProvider() } : {}),
    ...(config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET
      ? {
          stripe: createStripeProvider({
            secretKey: config.STRIPE_SECRET_KEY,
            webhookSecret: config.STRIPE_WEBHOOK_SECRET,
            ...(config.STRIPE_API_BASE ? { apiBase: config.STRIPE_API_BASE } : {}),
          }),
        }
      : {}),
  };
}
