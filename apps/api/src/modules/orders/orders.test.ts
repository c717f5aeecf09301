import { many } from '@girlycrea/db';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import type { TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, refreshCsrf, stockOf, useShopTest, type VariantPicker, type Browser } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

async function customer(): Promise<Browser> {
  const browser = await openBrowser(t.app);
  const res = await browser.agent
    .post('/api/auth/register')
    .set('X-CSRF-Token', browser.csrf)
    .send({ email: `${uniqueLabel('cliente')}@exemple.fr`, password: 'Perles-de-nacre-2026', name: 'Cliente' });
  expect(res.status).toBe(201);
  return refreshCsrf(browser);
}

async function placeOrder(browser: Browser, quantity = 1, email = `${uniqueLabel('commande')}@exemple.fr`) {
  const [variant] = await pick(1, 10);
  await addToCart(browser, variant!.id, quantity);
  const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { order: res.body.order, variant: variant!, email };
}

const confirm = (browser: Browser, orderId: string, key: string, outcome: string) =>
  browser.agent.post(`/api/payments/test/${orderId}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', key).send({ outcome });

/** Pays the order as its buyer and returns the token of the link in the confirmation e-mail (sent only then). */
async function payForToken(browser: Browser, placed: { order: { id: string }; email: string }): Promise<string> {
  expect((await confirm(browser, placed.order.id, uniqueLabel('paiement'), 'succeed')).status).toBe(200);
  const [mail] = (await emailsTo(t.db, placed.email)).filter((m) => m.template === 'order_confirmation');
  return new URL(mail!.data.orderUrl as string).searchParams.get('token')!;
}

describe('orders API', () => {
  it('lists my orders, newest first, paginated; signed out is 401', async () => {
    const alice = await customer();
    const first = await placeOrder(alice);
    const second = await placeOrder(alice);
    const page1 = await alice.agent.get('/api/orders?limit=1');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, limit: 1, total: 2 });
    expect(page1.body.items.map((o: { id: string }) => o.id)).toEqual([second.order.id]);
    expect((await alice.agent.get('/api/orders?page=2&limit=1')).body.items[0].id).toBe(first.order.id);
    expect((await alice.agent.get('/api/orders/' + first.order.id)).body).toEqual(first.order);
    expect((await t.http.get('/api/orders')).status).toBe(401);
    expect((await alice.agent.get('/api/orders?limit=500')).status).toBe(400);
  });

  it('another customer’s order is 404, and so is a guest’s without its token', async () => {
    const alice = await customer();
    const bob = await customer();
    const { order } = await placeOrder(alice);
    const res = await bob.agent.get(`/api/orders/${order.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await bob.agent.get('/api/orders')).body.items).toEqual([]);
    expect((await t.http.get(`/api/orders/${order.id}`)).status).toBe(404);
    expect((await t.http.get('/api/orders/pas-un-uuid')).status).toBe(400);
  });

  it('a guest opens their order with the e-mail’s token, which opens no other order; the token is stored only hashed', async () => {
    const guest = await openBrowser(t.app);
    const one = await placeOrder(guest);
    const other = await placeOrder(await openBrowser(t.app));
    const token = await payForToken(guest, one);
    const ok = await t.http.get(`/api/orders/${one.order.id}?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: one.order.id, number: one.order.number, status: 'paid' });
    expect((await t.http.get(`/api/orders/${other.order.id}?token=${token}`)).status).toBe(404);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await t.http.get(`/api/orders/${one.order.id}?token=${wrong}`)).status).toBe(404);
    expect((await t.http.get(`/api/orders/${one.order.id}?token=court`)).status).toBe(400);
    // The session that placed it may follow it without the token.
    expect((await guest.agent.get(`/api/orders/${one.order.id}`)).status).toBe(200);
    const { rows } = await t.db.query("SELECT encode(access_token_hash, 'hex') AS h FROM orders WHERE id = $1", [one.order.id]);
    expect(rows[0].h).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
  });
});

describe('test payment provider', () => {
  it('succeed marks the order paid; replays with the same key, even concurrent, answer the first response and pay once', async () => {
    const guest = await openBrowser(t.app);
    const { order } = await placeOrder(guest);
    const key = uniqueLabel('paiement');
    const results = await Promise.all(Array.from({ length: 4 }, () => confirm(guest, order.id, key, 'succeed')));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(results[0]!.body.order).toMatchObject({ id: order.id, status: 'paid', paidAt: expect.any(String) });
    const payments = await many<{ status: string }>(t.db, 'SELECT status FROM payments WHERE order_id = $1', [order.id]);
    expect(payments).toEqual([{ status: 'succeeded' }]);

    const otherBody = await confirm(guest, order.id, key, 'fail');
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.error.code).toBe('idempotency_conflict');
    const newKey = await confirm(guest, order.id, uniqueLabel('paiement'), 'succeed');
    expect(newKey.status).toBe(409);
    expect(newKey.body.error.code).toBe('invalid_state');
  });

  it('fail marks it payment_failed, gives the stock back and queues the payment_failed e-mail', async () => {
    const guest = await openBrowser(t.app);
    const { order, variant, email } = await placeOrder(guest, 4);
    expect(await stockOf(t.db, variant.id)).toBe(6);
    const res = await confirm(guest, order.id, uniqueLabel('paiement'), 'fail');
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe('payment_failed');
    expect(await stockOf(t.db, variant.id)).toBe(10);
    const mails = await emailsTo(t.db, email);
    // One message, and no confirmation: nothing was paid.
    expect(mails.map((m) => m.template)).toEqual(['payment_failed']);
    expect(mails[0]!.data).toEqual({ orderNumber: order.number, retryUrl: 'http://boutique.test/panier' });
  });

  it('only the order’s buyer may confirm; bad input is 400', async () => {
    const guest = await openBrowser(t.app);
    const { order } = await placeOrder(guest);
    const stranger = await openBrowser(t.app);
    expect((await confirm(stranger, order.id, uniqueLabel('k'), 'succeed')).status).toBe(404);
    expect((await confirm(guest, order.id, uniqueLabel('k'), 'peut-etre')).status).toBe(400);
    const noKey = await guest.agent.post(`/api/payments/test/${order.id}/confirm`).set('X-CSRF-Token', guest.csrf).send({ outcome: 'succeed' });
    expect(noKey.status).toBe(400);
    // Before payment no token exists anywhere (the confirmation, with its link, is sent once paid).
    const noToken = await supertest(t.app).post(`/api/payments/test/${order.id}/confirm`).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(noToken.status).toBe(404);
    expect((await confirm(guest, order.id, uniqueLabel('k'), 'succeed')).status).toBe(200);
  });
});
