import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { exec, many } from '@girlycrea/db';
import { startStripeStandIn, type StandInEvent, type StripeStandIn } from '@girlycrea/testkit/stripe';
import Stripe from 'stripe';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import { loadConfig } from '../../config.js';
import { createExpireOrdersJob } from '../../jobs/expire-orders.js';
import { createReconcilePaymentsJob } from '../../jobs/reconcile-payments.js';
import { createRefundSweepJob } from '../../jobs/refund-sweep.js';
import { createPaymentProviders } from './providers.js';
import { refundPayment } from './refunds.js';
import { DEFAULT_LIMITS } from '../../limits.js';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, stockOf, variantPicker } from '../../testing/shop.js';

const WEBHOOK_SECRET = 'whsec_test_girlycrea';
const STRIPE_CONFIG = { STRIPE_SECRET_KEY: 'sk_test_girlycrea', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
// Only used to forge signatures with a wrong secret; its key never reaches a network.
const forger = new Stripe('sk_test_forger', { telemetry: false });

let t: TestApp;
let standIn: StripeStandIn;
let app: ReturnType<typeof buildApp>;
let server: Server;
let pick: ReturnType<typeof variantPicker>;
let providers: ReturnType<typeof createPaymentProviders>;
beforeAll(async () => {
  t = await createTestApp();
  standIn = await startStripeStandIn();
  const config = { ...STRIPE_CONFIG, STRIPE_API_BASE: standIn.url };
  app = buildApp({ db: t.db, cache: t.cache, config });
  providers = createPaymentProviders({ NODE_ENV: 'test', ...config });
  // The stand-in posts its webhooks over HTTP, as Stripe does.
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  standIn.setWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/payments/stripe/webhook`, WEBHOOK_SECRET);
  pick = variantPicker(t.db);
});
afterEach(() => {
  standIn.deliverWebhooks = true;
  standIn.failNext(0);
});
afterAll(async () => {
  await standIn?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
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
  const session = [...standIn.sessions.values()].find((s) => s.metadata.orderId === res.body.order.id)!;
  return { variant: variant!, browser, email, key, order: res.body.order, payment: res.body.payment, res, session };
}

const deliver = (payload: string, signature = standIn.sign(payload)) =>
  supertest(app).post('/api/payments/stripe/webhook').set('Content-Type', 'application/json; charset=utf-8').set('Stripe-Signature', signature).send(payload);

/** An event as Stripe would send it, about an object the stand-in holds. */
function eventOf(type: string, object: object): StandInEvent {
  return { id: uniqueLabel('evt'), object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { ...object } } };
}

/** Pays the session on the stand-in without delivering its webhooks; returns [checkout.session.completed, payment_intent.succeeded]. */
async function payQuietly(sessionId: string): Promise<StandInEvent[]> {
  standIn.deliverWebhooks = false;
  const events = await standIn.pay(sessionId);
  standIn.deliverWebhooks = true;
  return events;
}

const orderRow = async (id: string) =>
  (await many<{ status: string; paid_at: Date | null; updated_at: Date }>(t.db, 'SELECT status, paid_at, updated_at FROM orders WHERE id = $1', [id]))[0]!;
const paymentRow = async (orderId: string) =>
  (
    await many<{ id: string; status: string; provider_ref: string; intent_ref: string | null; refunded_cents: number; last_error: string | null }>(
      t.db,
      'SELECT id, status, provider_ref, intent_ref, refunded_cents, last_error FROM payments WHERE order_id = $1',
      [orderId],
    )
  )[0]!;
const refundRows = async (orderId: string) =>
  many<{ status: string; amount_cents: number; attempts: number; reason: string; last_error: string | null }>(
    t.db,
    'SELECT r.status, r.amount_cents, r.attempts, r.reason, r.last_error FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.order_id = $1 ORDER BY r.created_at',
    [orderId],
  );
/** Every e-mail queued to `email`: only the confirmation, once the order is paid. */
const paidMails = async (email: string) => {
  const mails = await emailsTo(t.db, email);
  expect(mails.every((m) => m.template === 'order_confirmation')).toBe(true);
  return mails;
};
const standInRefunds = (intentRef: string | null) => [...standIn.refunds.values()].filter((r) => r.payment_intent === intentRef);

async function expire(orderId: string): Promise<void> {
  await exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1", [orderId]);
  await createExpireOrdersJob({ db: t.db }).runOnce();
  expect((await orderRow(orderId)).status).toBe('cancelled');
}

describe('Stripe Checkout', () => {
  it('checkout opens one Checkout Session for the order total in EUR, with the order in metadata and statement, even when replayed', async () => {
    const { order, payment, session, browser, key, res } = await stripeOrder(2);
    expect(payment).toMatchObject({ provider: 'stripe', status: 'pending', amountCents: order.totalCents, redirectUrl: session.url });
    expect(payment.clientSecret).toBeUndefined();
    expect(session).toMatchObject({
      amount_total: order.totalCents,
      currency: 'eur',
      locale: 'fr',
      client_reference_id: order.id,
      metadata: { orderId: order.id, orderNumber: order.number },
      intent_metadata: { orderId: order.id, orderNumber: order.number },
      statement_descriptor_suffix: order.number,
      success_url: `http://boutique.test/commande/confirmation/${order.id}?paiement=stripe`,
      cancel_url: `http://boutique.test/panier?paiement=annule&commande=${order.id}`,
    });
    // Stripe wants 30 min to 24 h; the order's own expiry (30 min) is raised to the minimum.
    expect(session.expires_at * 1000).toBeGreaterThanOrEqual(new Date(order.expiresAt).getTime());
    const call = standIn.calls.find((c) => c.path === '/v1/checkout/sessions' && c.form.get('metadata[orderId]') === order.id)!;
    expect(call.authorization).toBe('Bearer sk_test_girlycrea');
    expect(call.idempotencyKey).toBe(`gc-checkout-${order.id}`);

    const replay = await postCheckout(browser, key, checkoutBody({ email: order.email, paymentProvider: 'stripe' }));
    expect(replay.body).toEqual(res.body);
    expect([...standIn.sessions.values()].filter((s) => s.metadata.orderId === order.id)).toHaveLength(1);
  });

  it('when Stripe is unreachable after the order committed, answers 503 and a replay with the same key opens the session', async () => {
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
    expect(retried.body.payment.redirectUrl).toMatch(new RegExp(`^${standIn.url}/c/pay/cs_test_`));
    expect((await many(t.db, 'SELECT 1 FROM orders WHERE email = $1', [body.email])).length).toBe(1);
  });

  it('paying on the hosted page sends the customer to our confirmation with the order paid, the PaymentIntent recorded and one e-mail', async () => {
    const { order, session, email } = await stripeOrder();
    const page = await fetch(session.url);
    expect(await page.text()).toContain('Payer');
    const paid = await fetch(session.url, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(session.success_url);
    expect((await orderRow(order.id)).status).toBe('paid');
    const payment = await paymentRow(order.id);
    expect(payment).toMatchObject({ status: 'succeeded', provider_ref: session.id, intent_ref: session.payment_intent });
    const mails = await paidMails(email);
    expect(mails.map((m) => m.data)).toEqual([expect.objectContaining({ orderNumber: order.number, totalCents: order.totalCents })]);
  });

  it('the same events delivered twice at once give one paid transition and one e-mail', async () => {
    const { order, session, email, variant } = await stripeOrder(2);
    const events = await payQuietly(session.id);
    const payloads = events.map((event) => JSON.stringify(event));
    const answers = await Promise.all([...payloads, ...payloads, ...payloads].map((payload) => deliver(payload)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(2);
    expect((await orderRow(order.id)).status).toBe('paid');
    expect(await paidMails(email)).toHaveLength(1);
    expect(await stockOf(t.db, variant.id)).toBe(8);
    const stored = await many(t.db, 'SELECT 1 FROM payment_events WHERE event_id = ANY($1::text[])', [events.map((e) => e.id)]);
    expect(stored).toHaveLength(2);
    expect(standInRefunds(session.payment_intent)).toHaveLength(0);
  });

  it('events out of order (success first, then a late failure and expiry) never undo the payment', async () => {
    const { order, session, email, variant } = await stripeOrder();
    const [completed, succeeded] = await payQuietly(session.id);
    const intent = standIn.intents.get(session.payment_intent!)!;
    const late = [
      succeeded!,
      eventOf('payment_intent.payment_failed', { ...intent, status: 'requires_payment_method', last_payment_error: { message: 'Carte refusée' } }),
      completed!,
      eventOf('checkout.session.expired', { ...session, status: 'expired' }),
    ];
    for (const event of late) expect((await deliver(JSON.stringify(event))).status).toBe(200);
    expect((await orderRow(order.id)).status).toBe('paid');
    expect((await paymentRow(order.id)).status).toBe('succeeded');
    expect(await paidMails(email)).toHaveLength(1);
    expect(await stockOf(t.db, variant.id)).toBe(9);
  });

  it('a wrong or missing signature is 400 invalid_signature and changes nothing', async () => {
    const { order, session } = await stripeOrder();
    const [completed] = await payQuietly(session.id);
    const payload = JSON.stringify(completed);
    const forged = forger.webhooks.generateTestHeaderString({ payload, secret: 'whsec_pas_le_bon' });
    for (const signature of [forged, 't=1,v1=abc', '']) {
      const res = await deliver(payload, signature);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    // A correctly signed but altered body does not verify either.
    expect((await deliver(payload.replace('"paid"', '"unpaid"'), standIn.sign(payload))).status).toBe(400);
    expect((await orderRow(order.id)).status).toBe('pending_payment');
    expect((await many(t.db, 'SELECT 1 FROM payment_events WHERE event_id = $1', [completed!.id])).length).toBe(0);
    // The genuine delivery then applies.
    expect((await deliver(payload)).body).toEqual({ received: true, duplicate: false });
    expect((await orderRow(order.id)).status).toBe('paid');
  });

  it('a correctly signed event missing its id, type or object is 400 invalid_request naming the field, and changes nothing', async () => {
    const { order, session } = await stripeOrder();
    const [completed] = await payQuietly(session.id);
    const { id: _id, ...withoutId } = completed!;
    const { type: _type, ...withoutType } = completed!;
    for (const [event, field] of [[withoutId, 'id'], [withoutType, 'type'], [{ ...completed, data: {} }, 'data.object']] as const) {
      const res = await deliver(JSON.stringify(event));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: field })] });
    }
    expect((await orderRow(order.id)).status).toBe('pending_payment');
    expect((await deliver(JSON.stringify(completed))).body).toEqual({ received: true, duplicate: false });
    expect((await orderRow(order.id)).status).toBe('paid');
  });

  it('a refused attempt is recorded and the order still awaits payment; an expired page cancels the order and gives the stock back', async () => {
    const { order, session, variant, email } = await stripeOrder(3);
    const intent = { id: 'pi_refus', object: 'payment_intent', amount: order.totalCents, currency: 'eur', metadata: { orderId: order.id } };
    await deliver(JSON.stringify(eventOf('payment_intent.payment_failed', { ...intent, last_payment_error: { message: 'Votre carte a été refusée.' } })));
    expect((await orderRow(order.id)).status).toBe('pending_payment');
    expect((await paymentRow(order.id)).last_error).toBe('Votre carte a été refusée.');

    const expired = await standIn.expire(session.id);
    expect(standIn.events.at(-1)!.id).toBe(expired.id);
    expect((await orderRow(order.id)).status).toBe('cancelled');
    expect(await paymentRow(order.id)).toMatchObject({ status: 'failed', last_error: 'page de paiement expirée sans paiement' });
    expect(await stockOf(t.db, variant.id)).toBe(10);
    expect(await paidMails(email)).toHaveLength(0);
  });

  it('a payment completing after its order expired is refunded in full and never takes stock again', async () => {
    const { order, session, variant, email } = await stripeOrder(3);
    await expire(order.id);
    expect(await stockOf(t.db, variant.id)).toBe(10);

    // The customer had the page open and pays now: the stand-in delivers the webhooks.
    await standIn.pay(session.id);
    expect((await orderRow(order.id)).status).toBe('cancelled');
    expect((await paymentRow(order.id)).status).toBe('refunded');
    expect(await refundRows(order.id)).toMatchObject([{ status: 'succeeded', amount_cents: order.totalCents, reason: 'order_not_payable', attempts: 1 }]);
    expect(standInRefunds(session.payment_intent).map((r) => r.amount)).toEqual([order.totalCents]);
    expect(await stockOf(t.db, variant.id)).toBe(10);
    expect(await paidMails(email)).toHaveLength(0);
  });

  it('when Stripe refuses that refund, the webhook is still acknowledged and the sweep refunds it later, once', async () => {
    const { order, session } = await stripeOrder();
    await expire(order.id);
    const events = await payQuietly(session.id);
    // The SDK retries twice: three failures make the refund call fail.
    standIn.failNext(3);
    expect((await deliver(JSON.stringify(events[0]))).status).toBe(200);
    expect((await paymentRow(order.id)).status).toBe('refund_pending');
    const [pending] = await refundRows(order.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.last_error).toMatch(/stand-in failure|500/);
    expect(standInRefunds(session.payment_intent)).toHaveLength(0);

    const sweep = createRefundSweepJob({ db: t.db, providers, intervalMs: 60_000 });
    // Not due yet: the failed attempt pushed the next one back.
    expect(await sweep.runOnce()).toEqual({ succeeded: 0, retrying: 0, failed: [] });
    // Stripe fails once more when the retry is due: still pending, with a longer delay.
    await exec(t.db, "UPDATE refunds SET next_attempt_at = now() - interval '1 second' WHERE payment_id = $1", [(await paymentRow(order.id)).id]);
    standIn.failNext(3);
    expect((await sweep.runOnce()).retrying).toBeGreaterThanOrEqual(1);
    expect((await refundRows(order.id))[0]).toMatchObject({ status: 'pending', attempts: 2 });

    // Stripe is back and the retry is due.
    await exec(t.db, "UPDATE refunds SET next_attempt_at = now() - interval '1 second' WHERE payment_id = $1", [(await paymentRow(order.id)).id]);
    expect((await sweep.runOnce()).succeeded).toBeGreaterThanOrEqual(1);
    expect((await paymentRow(order.id)).status).toBe('refunded');
    expect((await refundRows(order.id))[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(standInRefunds(session.payment_intent).map((r) => r.amount)).toEqual([order.totalCents]);
    // The redelivered event and later sweeps change nothing.
    expect((await deliver(JSON.stringify(events[1]))).status).toBe(200);
    await exec(t.db, "UPDATE refunds SET next_attempt_at = now() - interval '1 second' WHERE payment_id = $1", [(await paymentRow(order.id)).id]);
    await sweep.runOnce();
    expect(standInRefunds(session.payment_intent)).toHaveLength(1);
  });

  it('a refund made in Stripe’s dashboard and a dispute are recorded', async () => {
    const { order, session } = await stripeOrder();
    await standIn.pay(session.id);
    const intent = standIn.intents.get(session.payment_intent!)!;
    const charge = { id: intent.latest_charge, object: 'charge', amount: intent.amount, currency: 'eur', payment_intent: intent.id };
    await deliver(JSON.stringify(eventOf('charge.refunded', { ...charge, amount_refunded: 500, refunded: false })));
    expect(await paymentRow(order.id)).toMatchObject({ status: 'succeeded', refunded_cents: 500 });
    await deliver(JSON.stringify(eventOf('charge.refunded', { ...charge, amount_refunded: intent.amount, refunded: true })));
    expect(await paymentRow(order.id)).toMatchObject({ status: 'refunded', refunded_cents: order.totalCents });
    expect((await orderRow(order.id)).status).toBe('refunded');

    const dispute = { id: uniqueLabel('dp'), object: 'dispute', amount: intent.amount, currency: 'eur', reason: 'fraudulent', status: 'needs_response', payment_intent: intent.id };
    await deliver(JSON.stringify(eventOf('charge.dispute.created', dispute)));
    await deliver(JSON.stringify(eventOf('charge.dispute.closed', { ...dispute, status: 'lost' })));
    const disputes = await many(t.db, 'SELECT amount_cents, reason, status FROM payment_disputes WHERE payment_id = $1', [(await paymentRow(order.id)).id]);
    expect(disputes).toEqual([{ amount_cents: order.totalCents, reason: 'fraudulent', status: 'lost' }]);
  });
});

describe('reconciliation', () => {
  it('marks paid an order whose webhooks were lost, refunds one that expired, reports a payment without an order, and changes nothing on a second run', async () => {
    const lost = await stripeOrder();
    const late = await stripeOrder();
    await expire(late.order.id);
    await payQuietly(lost.session.id);
    await payQuietly(late.session.id);
    // A payment taken elsewhere on the same account (a payment link): no order of ours.
    const foreign = { id: uniqueLabel('pi_lien'), object: 'payment_intent' as const, amount: 1500, amount_received: 1500, currency: 'eur', metadata: {}, status: 'succeeded' as const, created: Math.floor(Date.now() / 1000), latest_charge: 'ch_lien' };
    standIn.intents.set(foreign.id, foreign);
    expect((await orderRow(lost.order.id)).status).toBe('pending_payment');

    const job = createReconcilePaymentsJob({ db: t.db, providers, mail: { shopUrl: 'http://boutique.test', limits: DEFAULT_LIMITS }, lookbackMs: 3_600_000 });
    const first = await job.runOnce();
    expect(first.paid).toEqual([lost.order.number]);
    expect(first.refunded).toBe(1);
    expect(first.unmatched.map((p) => p.intentRef)).toEqual([foreign.id]);
    expect((await orderRow(lost.order.id)).status).toBe('paid');
    expect((await paymentRow(lost.order.id)).intent_ref).toBe(lost.session.payment_intent);
    expect(await paidMails(lost.email)).toHaveLength(1);
    expect((await paymentRow(late.order.id)).status).toBe('refunded');
    expect(standInRefunds(foreign.id)).toHaveLength(0);

    const second = await job.runOnce();
    expect(second).toMatchObject({ paid: [], refunded: 0 });
    expect(await paidMails(lost.email)).toHaveLength(1);
    expect(standInRefunds(late.session.payment_intent)).toHaveLength(1);
    // The webhook arriving after all is a no-op.
    for (const event of standIn.events.filter((e) => (e.data.object as { id?: string }).id === lost.session.id)) await deliver(JSON.stringify(event));
    expect(await paidMails(lost.email)).toHaveLength(1);
  });
});

describe('refunds from our side', () => {
  it('refunds part then the rest of a paid order, idempotently per key, and refuses more than was paid', async () => {
    const { order, session } = await stripeOrder(2);
    await standIn.pay(session.id);
    const deps = { db: t.db, providers };
    const key = uniqueLabel('remb');
    const partial = await refundPayment(deps, { orderId: order.id, key, amountCents: 1000, note: 'article abîmé' });
    expect(partial.statusCode).toBe(201);
    expect(partial.body.refund).toMatchObject({ amountCents: 1000, status: 'succeeded', reason: 'requested', note: 'article abîmé' });
    const replay = await refundPayment(deps, { orderId: order.id, key, amountCents: 1000, note: 'article abîmé' });
    expect(replay.body.refund.id).toBe(partial.body.refund.id);
    expect(standInRefunds(session.payment_intent).map((r) => r.amount)).toEqual([1000]);
    expect((await orderRow(order.id)).status).toBe('paid');

    await expect(refundPayment(deps, { orderId: order.id, key: uniqueLabel('remb'), amountCents: order.totalCents })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    const rest = await refundPayment(deps, { orderId: order.id, key: uniqueLabel('remb') });
    expect(rest.body.refund).toMatchObject({ amountCents: order.totalCents - 1000, status: 'succeeded' });
    expect(await paymentRow(order.id)).toMatchObject({ status: 'refunded', refunded_cents: order.totalCents });
    expect((await orderRow(order.id)).status).toBe('refunded');
    await expect(refundPayment(deps, { orderId: order.id, key: uniqueLabel('remb') })).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('a refund Stripe refuses now is kept pending for the sweep; an unpaid order cannot be refunded', async () => {
    const { order, session } = await stripeOrder();
    await standIn.pay(session.id);
    standIn.failNext(3);
    const res = await refundPayment({ db: t.db, providers }, { orderId: order.id, key: uniqueLabel('remb'), amountCents: 300 });
    expect(res.body.refund).toMatchObject({ status: 'pending', attempts: 1 });
    expect(standInRefunds(session.payment_intent)).toHaveLength(0);

    const unpaid = await stripeOrder();
    await expect(refundPayment({ db: t.db, providers }, { orderId: unpaid.order.id, key: uniqueLabel('remb') })).rejects.toMatchObject({ code: 'invalid_state' });
  });
});

describe('payment configuration', () => {
  it('refuses a Stripe key without its webhook secret, naming the variable', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).ORDER_PAYMENT_TTL_MINUTES).toBe(30);
  });

  it('refuses to start in production with PAYMENT_TEST_PROVIDER=on, and never offers the test provider there', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost', REDIS_CACHE_URL: 'redis://localhost:6380', TOTP_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(() => loadConfig({ ...production, PAYMENT_TEST_PROVIDER: 'on' })).toThrow(/PAYMENT_TEST_PROVIDER: interdit en production/);
    expect(loadConfig({ ...production, PAYMENT_TEST_PROVIDER: 'off' }).PAYMENT_TEST_PROVIDER).toBe('off');
    expect(() => createPaymentProviders({ NODE_ENV: 'production', PAYMENT_TEST_PROVIDER: 'on' })).toThrow(/interdit en production/);
    expect(createPaymentProviders({ NODE_ENV: 'production' }).test).toBeUndefined();
    expect(createPaymentProviders({ NODE_ENV: 'development' }).test).toBeDefined();
    expect(createPaymentProviders({ NODE_ENV: 'development', PAYMENT_TEST_PROVIDER: 'off' }).test).toBeUndefined();
  });

  it('lists the providers a checkout may choose, and refuses the test provider where it is off', async () => {
    expect((await supertest(app).get('/api/payments/providers')).body).toEqual({ providers: ['test', 'stripe'] });
    const [variant] = await pick(1, 10);
    const stripeOnly = buildApp({ db: t.db, cache: t.cache, config: { ...STRIPE_CONFIG, STRIPE_API_BASE: standIn.url, PAYMENT_TEST_PROVIDER: 'off' } });
    expect((await supertest(stripeOnly).get('/api/payments/providers')).body).toEqual({ providers: ['stripe'] });
    const browser = await openBrowser(stripeOnly);
    await addToCart(browser, variant!.id, 1);
    const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody());
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'paymentProvider', message: 'moyen de paiement indisponible' }]);
    const confirm = await supertest(stripeOnly).post('/api/payments/test/00000000-0000-4000-8000-000000000000/confirm').set('Idempotency-Key', 'k').send({ outcome: 'succeed' });
    expect(confirm.status).toBe(404);
  });
});
