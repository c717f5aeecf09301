/** The payment providers a checkout can choose. */
export const PROVIDER_NAMES = ['test', 'stripe'] as const;
/** A payment provider's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** A provider's notification, reduced to what the shop acts on. */
export interface PaymentEvent {
  id: string;
  /** The provider's own event type (`payment_intent.succeeded`…). */
  providerType: string;
  kind: 'succeeded' | 'failed' | 'canceled' | 'other';
  providerRef?: string;
  amountCents?: number;
  currency?: string;
  error?: string;
}

/** What the shop needs from a payment provider; every call is idempotent for the same order. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Starts collecting the order's amount; returns the provider's reference and the browser's secret. */
  createIntent(input: { orderId: string; orderNumber: string; amountCents: number }): Promise<{ providerRef: string; clientSecret: string | null }>;
  /** Gives everything collected back. */
  refund(input: { providerRef: string; idempotencyKey: string }): Promise<void>;
}

/** A provider that receives signed webhooks. */
export interface WebhookProvider extends PaymentProvider {
  /** Verifies the signature over the raw body and returns the event; throws when it does not verify. */
  verifyWebhook(rawBody: Buffer, signature: string): PaymentEvent;
}

/** The dev/CI stand-in for a card payment: no outside call; `POST /api/payments/test/:orderId/confirm` decides the outcome. */
export function createTestProvider(): PaymentProvider {
  return {
    name: 'test',
    async createIntent({ orderId }) {
      return { providerRef: `test_${orderId}`, clientSecret: null };
    },
    async refund() {
      // Nothing was collected.
    },
  };
}

/** The providers this process offers, by name. */
export type PaymentProviders = { test?: PaymentProvider; stripe?: WebhookProvider };
