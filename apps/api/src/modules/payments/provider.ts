import type { ProviderName } from '@girlycrea/contract';

/** A provider's notification, reduced to what the shop acts on. */
export interface PaymentEvent {
  id: string;
  /** The provider's own event type (`checkout.session.completed`…). */
  providerType: string;
  /**
   * succeeded: the money is collected; failed: one attempt was refused (the customer may retry);
   * expired: the payment page can no longer be paid; refunded: money was given back (cumulative
   * `refundedCents`); dispute: a chargeback opened or changed.
   */
  kind: 'succeeded' | 'failed' | 'expired' | 'refunded' | 'dispute' | 'other';
  /** Our order id, from the metadata we set on the session and its PaymentIntent. */
  orderId?: string;
  /** The Checkout Session (payments.provider_ref). */
  sessionRef?: string;
  /** The PaymentIntent (payments.intent_ref). */
  intentRef?: string;
  amountCents?: number;
  currency?: string;
  refundedCents?: number;
  dispute?: { id: string; amountCents: number; reason: string; status: string };
  error?: string;
}

/** A payment the provider reports as collected (reconciliation). */
export interface CollectedPayment {
  intentRef: string;
  orderId?: string;
  amountCents: number;
  currency: string;
  created: Date;
}

/** What starting a payment gives back: the provider's reference and where the browser goes to pay. */
export interface StartedPayment {
  providerRef: string;
  clientSecret: string | null;
  /** The provider's hosted payment page (Stripe Checkout); null when the shop confirms itself (test). */
  redirectUrl: string | null;
}

/** What the provider needs to start collecting an order's amount. */
export interface PaymentStart {
  orderId: string;
  orderNumber: string;
  amountCents: number;
  /** Where the customer lands after paying, and after giving up (our French pages). */
  successUrl: string;
  cancelUrl: string;
  /** When the order stops waiting for its payment. */
  expiresAt: Date;
}

/** What the shop needs from a payment provider; every call is idempotent for the same order or refund. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Starts collecting the order's amount. */
  createIntent(input: PaymentStart): Promise<StartedPayment>;
  /** Gives `amountCents` back (everything when absent); the same key never refunds twice. Returns the provider's refund id. */
  refund(input: { intentRef: string; amountCents?: number; idempotencyKey: string }): Promise<{ refundRef: string }>;
}

/** A provider that receives signed webhooks and can list what it collected. */
export interface WebhookProvider extends PaymentProvider {
  /**
   * Verifies the signature over the raw body and returns the event; throws when it does not verify,
   * or `MalformedEventError` when it verifies but lacks a field every event has.
   */
  verifyWebhook(rawBody: Buffer, signature: string): PaymentEvent;
  /** Payments collected since `since`, newest first (reconciliation). */
  listCollected(since: Date): AsyncIterable<CollectedPayment>;
}

/** The dev/CI stand-in for a card payment: no outside call; `POST /api/payments/test/:orderId/confirm` decides the outcome. */
export function createTestProvider(): PaymentProvider {
  return {
    name: 'test',
    async createIntent({ orderId }) {
      return { providerRef: `test_${orderId}`, clientSecret: null, redirectUrl: null };
    },
    async refund({ idempotencyKey }) {
      // Nothing was collected.
      return { refundRef: `test_${idempotencyKey}` };
    },
  };
}

/** The providers this process offers, by name. */
export type PaymentProviders = { test?: PaymentProvider; stripe?: WebhookProvider };

/** A correctly signed webhook event missing a field every event has (its id, type or object): answered 400. */
export class MalformedEventError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`événement signé mais incomplet : ${problems.map((problem) => `${problem.path} ${problem.message}`).join(', ')}`);
    this.name = 'MalformedEventError';
  }
}
