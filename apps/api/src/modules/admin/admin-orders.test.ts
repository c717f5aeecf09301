import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { exec, many } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import { startStripeStandIn, type StripeStandIn } from '@girlycrea/testkit/stripe';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefundSweepJob } from '../../jobs/refund-sweep.js';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { createPaymentProviders } from '../payments/providers.js';
import { signInAdmin, type AdminBrowser } from '../../testing/admin.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, stockOf, variantPicker } from '../../testing/shop.js';

const WEBHOOK_SECRET = 'whsec_test_girlycrea';
const SELLER = {
  SELLER_NAME: 'GirlyCrea SAS',
  SELLER_ADDRESS: '5 rue des Artisans, 69003 Lyon, France',
  SELLER_SIRET: '12345678900012',
  SELLER_VAT_NUMBER: 'FR12123456789',
};

let t: TestApp;
let standIn: StripeStandIn;
let app: ReturnType<typeof buildApp>;
let server: Server;
let pick: ReturnType<typeof variantPicker>;
let admin: AdminBrowser;
beforeAll(async () => {
  t = await createTestApp();
  standIn = await startStripeStandIn();
  app = buildApp({
    db: t.db,
    cache: t.cache,
    config: { STRIPE_SECRET_KEY: 'sk_test_girlycrea', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: standIn.url, ...SELLER },
  });
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  standIn.setWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/payments/stripe/webhook`, WEBHOOK_SECRET);
  pick = variantPicker(t.db);
  admin = await signInAdmin(t, app);
});
afterAll(async () => {
  await standIn?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

/** A paid order of `quantity` of one fresh variant (stock 10), through the test provider or the Stripe stand-in. */
async function paidOrder(quantity = 1, provider: 'test' | 'stripe' = 'test') {
  const [variant] = await pick(1, 10);
  const browser = await openBrowser(app);
  await addToCart(browser, variant!.id, quantity);
  const email = `${uniqueLabel('acheteuse')}@exemple.fr`;
  const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email, paymentProvider: provider }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const order = res.body.order as { id: string; number: string; totalCents: number; vatCents: number; shippingCents: number };
  if (provider === 'test') {
    const paid = await browser.agent
      .post(`/api/payments/test/${order.id}/confirm`)
      .set('X-CSRF-Token', browser.csrf)
      .set('Idempotency-Key', uniqueLabel('paiement'))
      .send({ outcome: 'succeed' });
    expect(paid.status).toBe(200);
  } else {
    const session = [...standIn.sessions.values()].find((s) => s.metadata.orderId === order.id)!;
    await standIn.pay(session.id);
    await expect.poll(async () => (await many<{ status: string }>(t.db, 'SELECT status FROM orders WHERE id = $1', [order.id]))[0]!.status).toBe('paid');
  }
  return { order, email, variant: variant! };
}

const post = (path: string, body: object = {}) => admin.agent.post(path).set('X-CSRF-Token', admin.csrf).send(body);
const audit = async (orderId: string) => (await admin.agent.get(`/api/admin/audit?entityType=order&entityId=${orderId}`)).body.items as { action: string; before: unknown; after: unknown; actorEmail: string }[];
const pdfText = async (bytes: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
const download = (path: string) => admin.agent.get(path).buffer(true).responseType('blob');

describe('orders in the back office', () => {
  it('paid → en préparation → expédiée (tracking, "expédiée" e-mail queued) → livrée; a forbidden step is 409 in French and changes nothing; each step is in the audit log', async () => {
    const { order, email } = await paidOrder();
    expect((await post(`/api/admin/orders/${order.id}/deliver`)).body.error).toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/livrée.*payée/) });
    expect((await post(`/api/admin/orders/${order.id}/prepare`)).body.order.status).toBe('preparing');
    expect((await post(`/api/admin/orders/${order.id}/ship`, { carrier: 'Colissimo', trackingNumber: '' })).status).toBe(400);
    const shipped = await post(`/api/admin/orders/${order.id}/ship`, { carrier: 'Colissimo', trackingNumber: '6A12345678901', trackingUrl: 'https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901' });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.order.status).toBe('shipped');
    const mail = (await emailsTo(t.db, email)).find((m) => m.template === 'order_shipped');
    expect(mail?.data).toMatchObject({ orderNumber: order.number, carrier: 'Colissimo', trackingNumber: '6A12345678901' });
    expect((await post(`/api/admin/orders/${order.id}/cancel`)).status).toBe(409);
    expect((await post(`/api/admin/orders/${order.id}/deliver`)).body.order.status).toBe('delivered');

    const detail = (await admin.agent.get(`/api/admin/orders/${order.id}`)).body;
    expect(detail.shipping).toMatchObject({ carrier: 'Colissimo', trackingNumber: '6A12345678901', shippedAt: expect.any(String), deliveredAt: expect.any(String) });
    expect(detail.emails.map((e: { template: string }) => e.template)).toEqual(['order_confirmation', 'order_shipped']);
    const entries = await audit(order.id);
    expect(entries.map((e) => e.action)).toEqual(['order.deliver', 'order.ship', 'order.prepare']);
    expect(entries[1]).toMatchObject({ actorEmail: admin.email, before: { status: 'preparing' }, after: { status: 'shipped', carrier: 'Colissimo', trackingNumber: '6A12345678901' } });
  });

  it('cancelling a paid order puts its stock back once', async () => {
    const { order, variant } = await paidOrder(3);
    expect(await stockOf(t.db, variant.id)).toBe(7);
    expect((await post(`/api/admin/orders/${order.id}/cancel`)).body.order.status).toBe('cancelled');
    expect(await stockOf(t.db, variant.id)).toBe(10);
    expect((await post(`/api/admin/orders/${order.id}/cancel`)).status).toBe(409);
    expect(await stockOf(t.db, variant.id)).toBe(10);
    expect((await audit(order.id))[0]).toMatchObject({ action: 'order.cancel', before: { status: 'paid' }, after: { status: 'cancelled' } });
  });

  it('refunds half an order through the payment provider (Stripe stand-in), idempotently per key, with one refund e-mail; too much is a French 400', async () => {
    const { order, email } = await paidOrder(2, 'stripe');
    const half = Math.floor(order.totalCents / 2);
    const key = uniqueLabel('remboursement');
    const refund = () => admin.agent.post(`/api/admin/orders/${order.id}/refunds`).set('X-CSRF-Token', admin.csrf).set('Idempotency-Key', key).send({ amountCents: half, note: 'un article abîmé' });
    const first = await refund();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.refund).toMatchObject({ amountCents: half, status: 'succeeded' });
    expect((await refund()).body.refund.id).toBe(first.body.refund.id);
    expect([...standIn.refunds.values()].filter((r) => r.amount === half)).toHaveLength(1);
    const tooMuch = await admin.agent.post(`/api/admin/orders/${order.id}/refunds`).set('X-CSRF-Token', admin.csrf).set('Idempotency-Key', uniqueLabel('r')).send({ amountCents: order.totalCents });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toMatch(/il reste .* remboursables/);
    const detail = (await admin.agent.get(`/api/admin/orders/${order.id}`)).body;
    expect(detail.payment).toMatchObject({ provider: 'stripe', refundedCents: half });
    const entries = (await audit(order.id)).filter((e) => e.action === 'order.refund');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ before: { refundedCents: 0 }, after: { amountCents: half, status: 'succeeded', note: 'un article abîmé' } });
    // The replay and the refused refund queued nothing: one e-mail, with the amount given back.
    const mails = (await emailsTo(t.db, email)).filter((m) => m.template === 'order_refunded');
    expect(mails.map((m) => m.data)).toEqual([{ orderNumber: order.number, amountCents: half, refundedTotalCents: half, isFull: false }]);
    expect(detail.emails.map((e: { template: string }) => e.template)).toContain('order_refunded');
  });

  it('a refund Stripe refuses at first is e-mailed once, when the sweep gets it through (never while it waits, never twice)', async () => {
    const { order, email } = await paidOrder(1, 'stripe');
    const refundMails = async () => (await emailsTo(t.db, email)).filter((m) => m.template === 'order_refunded');
    // Three refusals: the SDK's own retries within the request fail too.
    standIn.failNext(3);
    const asked = await admin.agent.post(`/api/admin/orders/${order.id}/refunds`).set('X-CSRF-Token', admin.csrf).set('Idempotency-Key', uniqueLabel('r')).send({ amountCents: 500 });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.refund.status).toBe('pending');
    expect(await refundMails()).toEqual([]);

    const sweep = createRefundSweepJob({ db: t.db, providers: createPaymentProviders({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_girlycrea', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: standIn.url }) });
    await exec(t.db, 'UPDATE refunds SET next_attempt_at = now() WHERE id = $1', [asked.body.refund.id]);
    expect((await sweep.runOnce()).succeeded).toBeGreaterThanOrEqual(1);
    await exec(t.db, 'UPDATE refunds SET next_attempt_at = now() WHERE id = $1', [asked.body.refund.id]);
    await sweep.runOnce();
    expect((await refundMails()).map((m) => m.data)).toEqual([{ orderNumber: order.number, amountCents: 500, refundedTotalCents: 500, isFull: false }]);
  });

  it('refunds half of an order paid with the test provider (dev/CI), then the rest: the order is refunded, one e-mail per refund', async () => {
    const { order, email } = await paidOrder(2);
    const half = Math.floor(order.totalCents / 2);
    const refund = (amountCents?: number) =>
      admin.agent.post(`/api/admin/orders/${order.id}/refunds`).set('X-CSRF-Token', admin.csrf).set('Idempotency-Key', uniqueLabel('r')).send(amountCents ? { amountCents } : {});
    expect((await refund(half)).body.refund).toMatchObject({ amountCents: half, status: 'succeeded' });
    expect((await admin.agent.get(`/api/admin/orders/${order.id}`)).body.order.status).toBe('paid');
    expect((await refund()).body.refund).toMatchObject({ amountCents: order.totalCents - half, status: 'succeeded' });
    const detail = (await admin.agent.get(`/api/admin/orders/${order.id}`)).body;
    expect(detail.order.status).toBe('refunded');
    expect(detail.payment).toMatchObject({ status: 'refunded', refundedCents: order.totalCents });
    expect((await emailsTo(t.db, email)).filter((m) => m.template === 'order_refunded').map((m) => m.data)).toEqual([
      { orderNumber: order.number, amountCents: half, refundedTotalCents: half, isFull: false },
      { orderNumber: order.number, amountCents: order.totalCents - half, refundedTotalCents: order.totalCents, isFull: true },
    ]);
  });

  it('issues one invoice per paid order; its PDF carries the number, the seller’s legal mentions, totals and VAT', async () => {
    const unpaid = await openBrowser(app);
    const [variant] = await pick(1, 10);
    await addToCart(unpaid, variant!.id, 1);
    const pending = (await postCheckout(unpaid, uniqueLabel('cle'))).body.order;
    expect((await post(`/api/admin/orders/${pending.id}/invoice`)).status).toBe(409);

    const { order } = await paidOrder(2);
    expect((await download(`/api/admin/orders/${order.id}/invoice.pdf`)).status).toBe(404);
    const issued = await post(`/api/admin/orders/${order.id}/invoice`);
    expect(issued.status).toBe(201);
    expect(issued.body.invoice.number).toMatch(/^FA-\d{6}$/);
    const again = await post(`/api/admin/orders/${order.id}/invoice`);
    expect(again.status).toBe(200);
    expect(again.body.invoice.number).toBe(issued.body.invoice.number);

    const res = await download(`/api/admin/orders/${order.id}/invoice.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfText(res.body as Buffer)).replace(/\s+/g, ' ');
    const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')} €`;
    expect(text).toContain(`Facture n° ${issued.body.invoice.number}`);
    expect(text).toContain(`Commande n° ${order.number}`);
    expect(text).toContain('GirlyCrea SAS');
    expect(text).toContain('SIRET : 12345678900012');
    expect(text).toContain('TVA intracommunautaire : FR12123456789');
    expect(text).toContain(`Total TTC : ${euros(order.totalCents)}`);
    expect(text).toContain(`TVA à 20 % : ${euros(order.vatCents)}`);
    expect(text).toContain(`Total HT : ${euros(order.totalCents - order.vatCents)}`);
    expect((await audit(order.id)).filter((e) => e.action === 'invoice.issue')).toEqual([
      expect.objectContaining({ after: { invoiceNumber: issued.body.invoice.number } }),
    ]);

    const slip = await download(`/api/admin/orders/${order.id}/packing-slip.pdf`);
    expect(slip.status).toBe(200);
    expect(await pdfText(slip.body as Buffer)).toContain(`Bon de préparation — commande n° ${order.number}`);
  });

  it('20 concurrent invoice creations (and duplicates for the same orders) take 20 consecutive numbers, without gaps', async () => {
    // Placed one after the other (the variant picker hands out distinct variants sequentially).
    const orders: Awaited<ReturnType<typeof paidOrder>>[] = [];
    for (let i = 0; i < 20; i += 1) orders.push(await paidOrder());
    const before = (await many<{ last_number: number }>(t.db, 'SELECT last_number FROM invoice_counter'))[0]!.last_number;
    const requests = [...orders, ...orders.slice(0, 5)].map(({ order }) => post(`/api/admin/orders/${order.id}/invoice`));
    const answers = await Promise.all(requests);
    for (const answer of answers) expect([200, 201]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    const numbers = await many<{ number: number }>(t.db, 'SELECT number FROM invoices WHERE order_id = ANY($1::uuid[]) ORDER BY number', [orders.map((o) => o.order.id)]);
    expect(numbers.map((row) => row.number)).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    const all = await many<{ number: number }>(t.db, 'SELECT number FROM invoices ORDER BY number');
    expect(all.map((row) => row.number)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });

  it('lists orders with filters (status, payment, dates, number/e-mail/name) and pages; bad filters are 400', async () => {
    const { order, email } = await paidOrder();
    const byEmail = await admin.agent.get(`/api/admin/orders?q=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.body).toMatchObject({ total: 1, items: [{ id: order.id, status: 'paid', paymentStatus: 'succeeded', email }] });
    expect((await admin.agent.get(`/api/admin/orders?q=${order.number}&status=shipped`)).body.total).toBe(0);
    expect((await admin.agent.get(`/api/admin/orders?q=${order.number}&paymentStatus=succeeded`)).body.total).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await admin.agent.get(`/api/admin/orders?q=${order.number}&from=${today}&to=${today}`)).body.total).toBe(1);
    expect((await admin.agent.get(`/api/admin/orders?q=${order.number}&to=2020-01-01`)).body.total).toBe(0);
    const page = await admin.agent.get('/api/admin/orders?limit=2&page=1');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const bad = await admin.agent.get('/api/admin/orders?status=perdue&from=hier');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['from', 'status']);
  });

  it('exports paid orders as CSV for the accountant: one line per order line plus shipping, HT + TVA = TTC, adding up to the order total', async () => {
    const { order } = await paidOrder(2);
    const today = new Date().toISOString().slice(0, 10);
    const res = await admin.agent.get(`/api/admin/exports/orders.csv?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = res.text.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(';'));
    expect(header).toEqual(['Commande', 'Date', 'Statut', 'Client', 'E-mail', 'Référence', 'Désignation', 'Quantité', 'Taux TVA', 'HT', 'TVA', 'TTC']);
    const mine = rows.filter((row) => row[0] === order.number);
    expect(mine).toHaveLength(order.shippingCents > 0 ? 2 : 1);
    const cents = (value: string) => Math.round(Number(value.replace(',', '.')) * 100);
    for (const row of mine) expect(cents(row[9]!) + cents(row[10]!)).toBe(cents(row[11]!));
    expect(mine.reduce((sum, row) => sum + cents(row[11]!), 0)).toBe(order.totalCents);
    expect(mine.reduce((sum, row) => sum + cents(row[10]!), 0)).toBe(order.vatCents);
    expect((await admin.agent.get('/api/admin/exports/orders.csv?from=demain')).status).toBe(400);
  });
});
