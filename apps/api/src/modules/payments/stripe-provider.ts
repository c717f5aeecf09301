import Stripe from 'stripe';
import { z } from 'zod';
import { MalformedEventError, type PaymentEvent, type WebhookProvider } from './provider.js';

// What every Stripe event carries; the id is what makes a redelivery a no-op (payment_events).
const SignedEvent = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

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

// Stripe accepts a Checkout Session expiring between 30 minutes and 24 hours after its creation.
const MIN_SESSION_MS = 31 * 60_000;
const MAX_SESSION_MS = 23 * 3_600_000;

/** When the hosted page stops accepting payment: the order's expiry, within Stripe's bounds. */
export function sessionExpiry(orderExpiresAt: Date, now = new Date()): number {
  const ms = Math.min(Math.max(orderExpiresAt.getTime() - now.getTime(), MIN_SESSION_MS), MAX_SESSION_MS);
  return Math.floor((now.getTime() + ms) / 1000);
}

/** The order number as the card statement's suffix: Latin letters, digits, spaces and dashes, at most 22 characters. */
export function statementSuffix(orderNumber: string): string {
  return orderNumber.replace(/[^A-Za-z0-9 -]/g, '').slice(0, 22);
}

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;

// The fields of the event objects we read (sessions, PaymentIntents, charges, disputes).
interface EventObject {
  object?: string;
  id?: string;
  amount?: number;
  amount_total?: number | null;
  amount_received?: number;
  amount_refunded?: number;
  currency?: string | null;
  payment_status?: string;
  payment_intent?: unknown;
  metadata?: Record<string, string> | null;
  last_payment_error?: { message?: string } | null;
  reason?: string;
  status?: string;
}

/** Reduces a verified Stripe event to what the shop acts on. */
export function toPaymentEvent(event: { id: string; type: string; data: { object: unknown } }): PaymentEvent {
  const object = event.data.object as EventObject;
  const base = { id: event.id, providerType: event.type, ...(object.metadata?.orderId ? { orderId: object.metadata.orderId } : {}) };
  const money = (amount: number | null | undefined) => ({
    ...(typeof amount === 'number' ? { amountCents: amount } : {}),
    ...(object.currency ? { currency: object.currency } : {}),
  });
  const intent = idOf(object.payment_intent);
  if (object.object === 'checkout.session' && object.id) {
    const session = { ...base, sessionRef: object.id, ...(intent ? { intentRef: intent } : {}), ...money(object.amount_total) };
    switch (event.type) {
      case 'checkout.session.completed':
        // Cards are paid on completion; a delayed method (SEPA…) reports later through async_payment_*.
        return { ...session, kind: object.payment_status === 'paid' ? 'succeeded' : 'other' };
      case 'checkout.session.async_payment_succeeded':
        return { ...session, kind: 'succeeded' };
      case 'checkout.session.async_payment_failed':
        return { ...session, kind: 'failed', error: 'paiement différé refusé' };
      case 'checkout.session.expired':
        return { ...session, kind: 'expired' };
    }
    return { ...session, kind: 'other' };
  }
  if (object.object === 'payment_intent' && object.id) {
    const pi = { ...base, intentRef: object.id, ...money(object.amount_received ?? object.amount) };
    switch (event.type) {
      case 'payment_intent.succeeded':
        return { ...pi, kind: 'succeeded' };
      case 'payment_intent.payment_failed':
        return { ...pi, kind: 'failed', error: object.last_payment_error?.message ?? 'paiement refusé' };
    }
    return { ...pi, kind: 'other' };
  }
  if (object.object === 'charge' && event.type === 'charge.refunded' && intent) {
    return { ...base, kind: 'refunded', intentRef: intent, refundedCents: object.amount_refunded ?? 0, ...money(object.amount) };
  }
  if (object.object === 'dispute' && object.id && intent) {
    return {
      ...base,
      kind: 'dispute',
      intentRef: intent,
      dispute: { id: object.id, amountCents: object.amount ?? 0, reason: object.reason ?? 'inconnu', status: object.status ?? 'inconnu' },
    };
  }
  return { ...base, kind: 'other' };
}

/**
 * Stripe through its official SDK: Checkout Sessions (Stripe's hosted page: cards with 3-D Secure,
 * Cartes Bancaires, Apple Pay and Google Pay as enabled in the dashboard), refunds, webhook
 * signature checks and the list of collected PaymentIntents.
 */
export function createStripeProvider(settings: StripeSettings): WebhookProvider {
  const stripe = new Stripe(settings.secretKey, { maxNetworkRetries: 2, timeout: 10_000, telemetry: false, ...endpoint(settings.apiBase) });
  return {
    name: 'stripe',
    async createIntent({ orderId, orderNumber, amountCents, successUrl, cancelUrl, expiresAt }) {
      const metadata = { orderId, orderNumber };
      // One line for the whole order: the amount is exactly our total in cents (discount and shipping included).
      // The same key for the same order: a retried call returns the same session.
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          locale: 'fr',
          client_reference_id: orderId,
          metadata,
          line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: amountCents, product_data: { name: `Commande ${orderNumber}` } } }],
          payment_intent_data: { metadata, statement_descriptor_suffix: statementSuffix(orderNumber) },
          success_url: successUrl,
          cancel_url: cancelUrl,
          expires_at: sessionExpiry(expiresAt),
        },
        { idempotencyKey: `gc-checkout-${orderId}` },
      );
      if (!session.url) throw new Error(`Stripe n’a pas donné d’adresse de paiement pour la session ${session.id}`);
      return { providerRef: session.id, clientSecret: null, redirectUrl: session.url };
    },
    async refund({ intentRef, amountCents, idempotencyKey }) {
      const refund = await stripe.refunds.create({ payment_intent: intentRef, ...(amountCents === undefined ? {} : { amount: amountCents }) }, { idempotencyKey });
      return { refundRef: refund.id };
    },
    verifyWebhook(rawBody, signature) {
      const parsed = SignedEvent.safeParse(stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret));
      if (!parsed.success) throw new MalformedEventError(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      return toPaymentEvent(parsed.data);
    },
    async *listCollected(since) {
      for await (const intent of stripe.paymentIntents.list({ created: { gte: Math.floor(since.getTime() / 1000) }, limit: 100 })) {
        if (intent.status !== 'succeeded') continue;
        yield {
          intentRef: intent.id,
          ...(intent.metadata?.orderId ? { orderId: intent.metadata.orderId } : {}),
          amountCents: intent.amount_received,
          currency: intent.currency,
          created: new Date(intent.created * 1000),
        };
      }
    },
  };
}
