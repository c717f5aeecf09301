import { exec, many } from '@girlycrea/db';
import Stripe from 'stripe';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import { loadConfig } from '../../config.js';
import { createExpireOrdersJob } from '../../jobs/expire-orders.js';
import { createPaymentProviders } from './providers.js';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, stockOf, variantPicker } from '../../testing/shop.js';
import { startStripeStandIn, type StripeStandIn } from '../../testing/stripe-stand-in.js';

const WEBHOOK_SECRET = 'whsec_test_girlycrea';
// Only used to sign test events; its key never reaches a network.
const signer = new Stripe('sk_test_signer', { telemetry: false });

let t: TestApp;
let standIn: StripeStandIn;
let app: ReturnType<typeof buildApp>;
let pick: ReturnType<typeof variantPicker>;
beforeAll(async () => {
  t = await createTestApp();
  standIn = await startStripeStandIn();
  app = buildApp({
    db: t.db,
    cache: t.cache,
    config: { STRIPE_SECRET_KEY: 'sk_test_girlycrea', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: standIn.url },
  });
  pick = variantPicker(t.db);
});
afterAll(async () => {
  await standIn?.close();
  await t?.close();
});

async function stripeOrder(quantity = 1) {
  const [variant] = await pick(1, 10);
  const browser = await openBrowser(app);
  await addToCart(browser, variant!.id, quantity);
  const email = `${uniqueLabel('stripe')}@exemple.fr`;
  const key = uniqueLabel('cle');
  const res = await postCheckout(browser, key, checkoutBody({ email, paymentProvider: 'stripe' }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { variant: variant!, browser, email, key, order: res.body.order, payment: res.body.payment, res };
}

function intentEvent(type: string, intent: { id: string; amount: number }, eventId = uniqueLabel('evt')) {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: intent.id, object: 'payment_intent', amount: intent.amount, currency: 'eur', status: type.split('.')[1] } },
  });
}

function deliver(payload: string, signature = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })) {
  return supertest(app).post('/api/payments/stripe/webhook').set('Content-Type', 'application/json; charset=utf-8').set('Stripe-Signature', signature).send(payload);
}

const orderRow = async (id: string) =>
  (await many<{ status: string; paid_at: Date | null; updated_at: Date }>(t.db, 'SELECT status, paid_at, updated_at FROM orders WHERE id = $1', [id]))[0]!;
const paymentRow = async (orderId: string) =>
  (await many<{ status: string; provider_ref: string }>(t.db, 'SELECT status, provider_ref FROM payments WHERE order_id = $1', [orderId]))[0]!;

describe('Stripe payments', () => {
  it('checkout creates one PaymentIntent for the order total through the SDK, even when replayed', async () => {
    const { order, payment, browser, key, res } = await stripeOrder(2);
    expect(payment).toMatchObject({ provider: 'stripe', status: 'pending', amountCents: order.totalCents, clientSecret: expect.stringMatching(/^pi_\w+_secret_/) });
    const intent = standIn.intents.get(payment.clientSecret.split('_secret_')[0]);
    expect(intent).toMatchObject({ amount: order.totalCents, currency: 'eur', metadata: { orderId: order.id, orderNumber: order.number } });
    const call = standIn.calls.find((c) => c.path === '/v1/payment_intents' && c.form.get('metadata[orderId]') === order.id)!;
    expect(call.authorization).toBe('Bearer sk_test_girlycrea');
    expect(call.idempotencyKey).toBe(`gc-order-${order.id}`);

    const replay = await postCheckout(browser, key, checkoutBody({ email: order.email, paymentProvider: 'stripe' }));
    expect(replay.body).toEqual(res.body);
    expect([...standIn.intents.values()].filter((i) => i.metadata.orderId === order.id)).toHaveLength(1);
  });

  it('when Stripe is unreachable after the order committed, answers 503 and a replay with the same key starts the payment', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(app);
    await addToCart(browser, variant!.id, 1);
    const key = uniqueLabel('cle');
    const body = checkoutBody({ email: `${uniqueLabel('panne')}@exemple.fr`, paymentProvider: 'stripe' });
    standIn.failNext(3);
    const failed = await postCheckout(browser, key, body);
    expect(failed.status).toBe(503);
    const retried = await postCheckout(browser, key, body);
    expect(retried.status).toBe(201);
    expect(retried.body.payment.clientSecret).toMatch(/^pi_/);
    expect((await many(t.db, 'SELECT 1 FROM orders WHERE email = $1', [body.email])).length).toBe(1);
  });

  it('a webhook delivered twice changes the order once', async () => {
    const { order } = await stripeOrder();
    const payment = await paymentRow(order.id);
    const payload = intentEvent('payment_intent.succeeded', { id: payment.provider_ref, amount: order.totalCents });
    const first = await deliver(payload);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, duplicate: false });
    const paid = await orderRow(order.id);
    expect(paid.status).toBe('paid');
    expect((await paymentRow(order.id)).status).toBe('succeeded');

    const again = await deliver(payload);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    const after = await orderRow(order.id);
    expect(after.updated_at).toEqual(paid.updated_at);
    expect(after.paid_at).toEqual(paid.paid_at);
    // Another event for the same PaymentIntent does not change it either.
    await deliver(intentEvent('payment_intent.succeeded', { id: payment.provider_ref, amount: order.totalCents }));
    expect((await orderRow(order.id)).updated_at).toEqual(paid.updated_at);
    expect(standIn.refunds.size).toBe(0);
  });

  it('a wrong or missing signature is 400 invalid_signature and changes nothing', async () => {
    const { order } = await stripeOrder();
    const payment = await paymentRow(order.id);
    const payload = intentEvent('payment_intent.succeeded', { id: payment.provider_ref, amount: order.totalCents });
    const forged = signer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_pas_le_bon' });
    for (const signature of [forged, 't=1,v1=abc', '']) {
      const res = await deliver(payload, signature);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    // A correctly signed but altered body does not verify either.
    const good = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    expect((await deliver(payload.replace('"eur"', '"usd"'), good)).status).toBe(400);
    expect((await orderRow(order.id)).status).toBe('pending_payment');
    expect((await many(t.db, 'SELECT 1 FROM payment_events WHERE event_id = $1', [JSON.parse(payload).id])).length).toBe(0);
  });

  it('a payment arriving after the order expired is refunded through the API and never takes stock again', async () => {
    const { order, variant } = await stripeOrder(3);
    expect(await stockOf(t.db, variant.id)).toBe(7);
    await exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1", [order.id]);
    expect(await createExpireOrdersJob({ db: t.db }).runOnce()).toBeGreaterThanOrEqual(1);
    expect(await stockOf(t.db, variant.id)).toBe(10);

    const payment = await paymentRow(order.id);
    const res = await deliver(intentEvent('payment_intent.succeeded', { id: payment.provider_ref, amount: order.totalCents }));
    expect(res.status).toBe(200);
    expect((await orderRow(order.id)).status).toBe('cancelled');
    expect((await paymentRow(order.id)).status).toBe('refunded');
    const refunds = [...standIn.refunds.values()].filter((r) => r.payment_intent === payment.provider_ref);
    expect(refunds).toHaveLength(1);
    expect(await stockOf(t.db, variant.id)).toBe(10);
  });

  it('a refund Stripe refuses is retried on the redelivery of the event', async () => {
    const { order } = await stripeOrder();
    await exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1", [order.id]);
    await createExpireOrdersJob({ db: t.db }).runOnce();
    const payment = await paymentRow(order.id);
    const payload = intentEvent('payment_intent.succeeded', { id: payment.provider_ref, amount: order.totalCents });
    standIn.failNext(3);
    expect((await deliver(payload)).status).toBe(503);
    expect((await paymentRow(order.id)).status).toBe('refund_pending');
    expect((await deliver(payload)).status).toBe(200);
    expect((await paymentRow(order.id)).status).toBe('refunded');
  });

  it('a cancelled PaymentIntent fails the order, gives the stock back and queues the payment_failed e-mail', async () => {
    const { order, variant, email } = await stripeOrder(2);
    const payment = await paymentRow(order.id);
    expect((await deliver(intentEvent('payment_intent.canceled', { id: payment.provider_ref, amount: order.totalCents }))).status).toBe(200);
    expect((await orderRow(order.id)).status).toBe('payment_failed');
    expect(await stockOf(t.db, variant.id)).toBe(10);
    const mails = await emailsTo(t.db, email);
    expect(mails.map((m) => m.template)).toEqual(['order_confirmation', 'payment_failed']);
    expect(mails[1]!.data).toEqual({ orderNumber: order.number, retryUrl: 'http://boutique.test/panier' });
  });
});

describe('payment configuration', () => {
  it('refuses a Stripe key without its webhook secret, naming the variable', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).ORDER_PAYMENT_TTL_MINUTES).toBe(30);
  });

  it('offers the test provider only outside production unless told otherwise', async () => {
    const [variant] = await pick(1, 10);
    expect(createPaymentProviders({ NODE_ENV: 'production' }).test).toBeUndefined();
    expect(createPaymentProviders({ NODE_ENV: 'production', PAYMENT_TEST_PROVIDER: 'on' }).test).toBeDefined();
    expect(createPaymentProviders({ NODE_ENV: 'development' }).test).toBeDefined();
    const production = buildApp({ db: t.db, cache: t.cache, config: { PAYMENT_TEST_PROVIDER: 'off' } });
    const browser = await openBrowser(production);
    await addToCart(browser, variant!.id, 1);
    const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody());
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'paymentProvider', message: 'moyen de paiement indisponible' }]);
    const confirm = await supertest(production).post('/api/payments/test/00000000-0000-4000-8000-000000000000/confirm').set('Idempotency-Key', 'k').send({ outcome: 'succeed' });
    expect(confirm.status).toBe(404);
  });
});
