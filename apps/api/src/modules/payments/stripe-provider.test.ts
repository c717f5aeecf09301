import { describe, expect, it } from 'vitest';
import { sessionExpiry, statementSuffix, toPaymentEvent } from './stripe-provider.js';

const event = (type: string, object: object) => ({ id: 'evt_1', type, data: { object } });
const session = { object: 'checkout.session', id: 'cs_1', amount_total: 4370, currency: 'eur', payment_intent: 'pi_1', metadata: { orderId: 'o-1' } };

describe('Stripe events reduced to what the shop acts on', () => {
  it('a completed session is a success only once paid; a delayed method reports through async_payment_*', () => {
    expect(toPaymentEvent(event('checkout.session.completed', { ...session, payment_status: 'paid' }))).toEqual({
      id: 'evt_1',
      providerType: 'checkout.session.completed',
      kind: 'succeeded',
      orderId: 'o-1',
      sessionRef: 'cs_1',
      intentRef: 'pi_1',
      amountCents: 4370,
      currency: 'eur',
    });
    expect(toPaymentEvent(event('checkout.session.completed', { ...session, payment_status: 'unpaid' })).kind).toBe('other');
    expect(toPaymentEvent(event('checkout.session.async_payment_succeeded', session)).kind).toBe('succeeded');
    expect(toPaymentEvent(event('checkout.session.async_payment_failed', session)).kind).toBe('failed');
    expect(toPaymentEvent(event('checkout.session.expired', { ...session, payment_intent: null }))).toMatchObject({ kind: 'expired', sessionRef: 'cs_1' });
  });

  it('reads PaymentIntents, refunded charges and disputes, and ignores what it does not know', () => {
    const intent = { object: 'payment_intent', id: 'pi_1', amount: 4370, amount_received: 4370, currency: 'eur', metadata: { orderId: 'o-1' } };
    expect(toPaymentEvent(event('payment_intent.succeeded', intent))).toMatchObject({ kind: 'succeeded', intentRef: 'pi_1', orderId: 'o-1', amountCents: 4370 });
    expect(toPaymentEvent(event('payment_intent.payment_failed', { ...intent, last_payment_error: { message: 'Carte refusée' } }))).toMatchObject({
      kind: 'failed',
      error: 'Carte refusée',
    });
    expect(toPaymentEvent(event('charge.refunded', { object: 'charge', id: 'ch_1', amount: 4370, amount_refunded: 1000, payment_intent: { id: 'pi_1' } }))).toMatchObject({
      kind: 'refunded',
      intentRef: 'pi_1',
      refundedCents: 1000,
    });
    expect(toPaymentEvent(event('charge.dispute.created', { object: 'dispute', id: 'dp_1', amount: 4370, reason: 'fraudulent', status: 'needs_response', payment_intent: 'pi_1' }))).toMatchObject({
      kind: 'dispute',
      dispute: { id: 'dp_1', amountCents: 4370, reason: 'fraudulent', status: 'needs_response' },
    });
    expect(toPaymentEvent(event('customer.created', { object: 'customer', id: 'cus_1' })).kind).toBe('other');
  });

  it('keeps the hosted page open between Stripe’s 30 minutes and 24 hours, and the statement suffix to 22 safe characters', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const seconds = (date: string) => Math.floor(new Date(date).getTime() / 1000);
    expect(sessionExpiry(new Date('2026-12-01T10:30:00Z'), now)).toBe(seconds('2026-12-01T10:31:00Z'));
    expect(sessionExpiry(new Date('2026-12-01T12:00:00Z'), now)).toBe(seconds('2026-12-01T12:00:00Z'));
    expect(sessionExpiry(new Date('2026-12-03T10:00:00Z'), now)).toBe(seconds('2026-12-02T09:00:00Z'));
    expect(statementSuffix('GC-000123')).toBe('GC-000123');
    expect(statementSuffix('GC-<é>*123456789012345678901')).toBe('GC-1234567890123456789');
  });
});
