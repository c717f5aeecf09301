import Stripe from 'stripe';
import type { PaymentEvent, WebhookProvider } from './provider.js';

/** How to reach Stripe; `apiBase` points the SDK elsewhere (a local stand-in in tests). */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  apiBase?: string;
}

function endpoint(apiBase: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

const KINDS: Record<string, PaymentEvent['kind']> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
};

/** Stripe through its official SDK: PaymentIntents, refunds and webhook signature checks. */
export function createStripeProvider(settings: StripeSettings): WebhookProvider {
  const stripe = new Stripe(settings.secretKey, { maxNetworkRetries: 2, timeout: 10_000, telemetry: false, ...endpoint(settings.apiBase) });
  return {
    name: 'stripe',
    async createIntent({ orderId, orderNumber, amountCents }) {
      // The same key for the same order: a retried call returns the same PaymentIntent.
      const intent = await stripe.paymentIntents.create(
        { amount: amountCents, currency: 'eur', metadata: { orderId, orderNumber }, automatic_payment_methods: { enabled: true } },
        { idempotencyKey: `gc-order-${orderId}` },
      );
      return { providerRef: intent.id, clientSecret: intent.client_secret };
    },
    async refund({ providerRef, idempotencyKey }) {
      await stripe.refunds.create({ payment_intent: providerRef }, { idempotencyKey });
    },
    verifyWebhook(rawBody, signature) {
      const event = stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret);
      const object = event.data.object as { object?: string; id?: string; amount?: number; currency?: string; last_payment_error?: { message?: string } | null };
      const isIntent = object.object === 'payment_intent';
      return {
        id: event.id,
        providerType: event.type,
        kind: isIntent ? (KINDS[event.type] ?? 'other') : 'other',
        ...(isIntent && object.id ? { providerRef: object.id } : {}),
        ...(isIntent && typeof object.amount === 'number' ? { amountCents: object.amount } : {}),
        ...(isIntent && object.currency ? { currency: object.currency } : {}),
        ...(object.last_payment_error?.message ? { error: object.last_payment_error.message } : {}),
      };
    },
  };
}
