import type { Config } from '../../config.js';
import { createTestProvider, type PaymentProviders } from './provider.js';
import { createStripeProvider } from './stripe-provider.js';

/** The configuration keys that choose the payment providers. */
export type PaymentConfig = Pick<Config, 'NODE_ENV'> &
  Partial<Pick<Config, 'PAYMENT_TEST_PROVIDER' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE'>>;

/** The providers this process offers: `test` unless turned off (off by default in production), `stripe` when its keys are set. */
export function createPaymentProviders(config: PaymentConfig): PaymentProviders {
  const testEnabled = config.PAYMENT_TEST_PROVIDER ? config.PAYMENT_TEST_PROVIDER === 'on' : config.NODE_ENV !== 'production';
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
