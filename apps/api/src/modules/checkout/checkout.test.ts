import { exec, many } from '@girlycrea/db';
import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import type { TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, stockOf, useShopTest, type VariantPicker, type Browser } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

const countOrders = async (email: string) =>
  (await many<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM orders WHERE email = $1', [email]))[0]!.n;

async function cartWith(items: [string, number][]): Promise<Browser> {
  const browser = await openBrowser(t.app);
  for (const [variantId, quantity] of items) await addToCart(browser, variantId, quantity);
  return browser;
}

describe('checkout', () => {
  it('creates the order in one go (server prices, stock taken 15 min for a guest, discount counted, cart emptied, no e-mail); once paid, the confirmation goes out with the right lines and totals', async () => {
    const [a, b] = await pick(2, 10);
    await exec(t.db, 'UPDATE variants SET price_cents = 1890 WHERE id = $1', [a!.id]);
    await exec(t.db, 'UPDATE variants SET price_cents = 690 WHERE id = $1', [b!.id]);
    const browser = await cartWith([
      [a!.id, 2],
      [b!.id, 3],
    ]);
    await browser.agent.post('/api/cart/discount').set('X-CSRF-Token', browser.csrf).send({ code: 'Bienvenue10' });
    const usedBefore = (await many<{ used_count: number }>(t.db, "SELECT used_count FROM discount_codes WHERE code = 'BIENVENUE10'"))[0]!.used_count;
    const email = `${uniqueLabel('commande')}@exemple.fr`;
    // Prices and totals sent by the client are ignored.
    const res = await postCheckout(browser, uniqueLabel('cle'), { ...checkoutBody({ email: email.toUpperCase() }), totalCents: 1, lines: [{ unitPriceCents: 1 }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { order, payment } = res.body;
    expect(order).toMatchObject({
      number: expect.stringMatching(/^GC-\d{6}$/),
      status: 'pending_payment',
      email,
      subtotalCents: 5850,
      discountCents: 585,
      shippingCents: 590,
      vatCents: 567 + 311 + 98,
      totalCents: 5855,
      currency: 'EUR',
      discountCode: 'BIENVENUE10',
      shippingMethod: { id: 'colissimo', name: 'Colissimo à domicile' },
      paymentProvider: 'test',
    });
    expect(order.lines.map((l: { variantId: string; quantity: number; unitPriceCents: number; discountCents: number }) => [l.variantId, l.quantity, l.unitPriceCents, l.discountCents])).toEqual([
      [a!.id, 2, 1890, 378],
      [b!.id, 3, 690, 207],
    ]);
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(15 * 60_000);
    expect(payment).toMatchObject({ orderId: order.id, provider: 'test', status: 'pending', amountCents: 5855, currency: 'EUR' });

    expect(await stockOf(t.db, a!.id)).toBe(8);
    expect(await stockOf(t.db, b!.id)).toBe(7);
    expect((await many<{ used_count: number }>(t.db, "SELECT used_count FROM discount_codes WHERE code = 'BIENVENUE10'"))[0]!.used_count).toBe(usedBefore + 1);
    expect((await browser.agent.get('/api/cart')).body.items).toEqual([]);

    expect(await emailsTo(t.db, email)).toEqual([]);
    const paid = await browser.agent.post(`/api/payments/test/${order.id}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(paid.status).toBe(200);
    const mails = await emailsTo(t.db, email);
    expect(mails.map((m) => m.template)).toEqual(['order_confirmation']);
    const data = mails[0]!.data;
    // What the buyer typed (the name) never reads as the shop's words.
    expect(data).not.toHaveProperty('name');
    expect(data).toMatchObject({
      orderNumber: order.number,
      subtotalCents: 5850,
      discountCents: 585,
      shippingCents: 590,
      shippingMethod: 'Colissimo à domicile',
      vatCents: order.vatCents,
      totalCents: 5855,
    });
    // Each line carries its variant's picture, as an absolute URL on the shop.
    const thumbnail = expect.stringMatching(/^http:\/\/boutique\.test\/api\/media\/products\/.+\.svg$/);
    expect(data.lines).toEqual([
      expect.objectContaining({ quantity: 2, unitPriceCents: 1890, lineTotalCents: 3780, imageUrl: thumbnail }),
      expect.objectContaining({ quantity: 3, unitPriceCents: 690, lineTotalCents: 2070, imageUrl: thumbnail }),
    ]);
    expect(data.orderUrl).toMatch(new RegExp(`^http://boutique\\.test/commandes/${order.id}\\?token=[A-Za-z0-9_-]{43}$`));
    const token = new URL(data.orderUrl as string).searchParams.get('token')!;
    expect((await t.http.get(`/api/orders/${order.id}`).query({ token })).body.status).toBe('paid');
  });

  it('when stock is short, answers 409 out_of_stock listing the variants short and creates no order', async () => {
    const [plenty, scarce] = await pick(2, 5);
    const browser = await cartWith([
      [plenty!.id, 1],
      [scarce!.id, 3],
    ]);
    await exec(t.db, 'UPDATE variants SET stock = 1 WHERE id = $1', [scarce!.id]);
    const email = `${uniqueLabel('rupture')}@exemple.fr`;
    const res = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'out_of_stock', details: [{ variantId: scarce!.id, sku: scarce!.sku, requested: 3, available: 1 }] });
    expect(await countOrders(email)).toBe(0);
    expect(await stockOf(t.db, plenty!.id)).toBe(5);
    expect(await emailsTo(t.db, email)).toEqual([]);
  });

  it('when several variants are short, lists each of them (by id) and takes no stock from the others', async () => {
    const [a, b, c] = await pick(3, 5);
    const browser = await cartWith([
      [a!.id, 2],
      [b!.id, 4],
      [c!.id, 5],
    ]);
    await exec(t.db, 'UPDATE variants SET stock = 3 WHERE id = $1', [b!.id]);
    await exec(t.db, 'UPDATE variants SET stock = 0 WHERE id = $1', [c!.id]);
    const email = `${uniqueLabel('ruptures')}@exemple.fr`;
    const key = uniqueLabel('cle');
    const res = await postCheckout(browser, key, checkoutBody({ email }));
    expect(res.status).toBe(409);
    const expected = [
      { variantId: b!.id, sku: b!.sku, requested: 4, available: 3 },
      { variantId: c!.id, sku: c!.sku, requested: 5, available: 0 },
    ].sort((x, y) => (x.variantId < y.variantId ? -1 : 1));
    expect(res.body.error).toMatchObject({ code: 'out_of_stock', details: expected });
    expect([await stockOf(t.db, a!.id), await stockOf(t.db, b!.id), await stockOf(t.db, c!.id)]).toEqual([5, 3, 0]);
    expect(await countOrders(email)).toBe(0);
    expect(await emailsTo(t.db, email)).toEqual([]);
    // The cart is kept, and the same key may be used again once the stock is back.
    await exec(t.db, 'UPDATE variants SET stock = 10 WHERE id = ANY($1::uuid[])', [[b!.id, c!.id]]);
    const retry = await postCheckout(browser, key, checkoutBody({ email }));
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.order.lines).toHaveLength(3);
  });

  it('200 concurrent checkouts for a variant with stock 10 create exactly 10 orders; the other 190 get 409 out_of_stock', async () => {
    const [variant] = await pick(1, 200);
    const label = uniqueLabel('ruee');
    const browsers: Browser[] = [];
    for (let i = 0; i < 200; i += 10) browsers.push(...(await Promise.all(Array.from({ length: 10 }, () => cartWith([[variant!.id, 1]])))));
    await exec(t.db, 'UPDATE variants SET stock = 10 WHERE id = $1', [variant!.id]);

    // 200 shoppers, each with her own address (one address may only hold a few unpaid orders).
    const results = await Promise.all(browsers.map((browser, i) => postCheckout(browser, `ruee-${i}`, checkoutBody({ email: `${label}-${i}@exemple.fr` }))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('out_of_stock');
    expect((await many<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM orders WHERE email LIKE $1', [`${label}-%`]))[0]!.n).toBe(10);
    expect(await stockOf(t.db, variant!.id)).toBe(0);
    const numbers = new Set(results.filter((r) => r.status === 201).map((r) => r.body.order.number));
    expect(numbers.size).toBe(10);
  });

  it('a discount code with one use left goes to exactly one of two concurrent checkouts', async () => {
    const [variant] = await pick(1, 10);
    await exec(t.db, "INSERT INTO discount_codes (code, kind, value, usage_limit) VALUES ('UNESEULE', 'fixed', 300, 1)");
    const email = `${uniqueLabel('code-unique')}@exemple.fr`;
    const browsers = await Promise.all([cartWith([[variant!.id, 1]]), cartWith([[variant!.id, 1]])]);
    for (const b of browsers) expect((await b.agent.post('/api/cart/discount').set('X-CSRF-Token', b.csrf).send({ code: 'uneseule' })).status).toBe(200);
    const results = await Promise.all(browsers.map((b, i) => postCheckout(b, `code-${i}`, checkoutBody({ email }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('discount_invalid');
    expect((await many<{ used_count: number }>(t.db, "SELECT used_count FROM discount_codes WHERE code = 'UNESEULE'"))[0]!.used_count).toBe(1);
    expect(await stockOf(t.db, variant!.id)).toBe(9);
  });
});

describe('checkout idempotency', () => {
  it('a replay with the same key and body, even concurrent, returns the first response: one order, one payment', async () => {
    const [variant] = await pick(1, 10);
    const browser = await cartWith([[variant!.id, 2]]);
    const email = `${uniqueLabel('rejeu')}@exemple.fr`;
    const key = uniqueLabel('cle');
    const results = await Promise.all(Array.from({ length: 5 }, () => postCheckout(browser, key, checkoutBody({ email }))));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(results.map((r) => r.body.order.id));
    expect(ids.size).toBe(1);
    expect(new Set(results.map((r) => r.body.payment.id)).size).toBe(1);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    // Later, with the cart already emptied: still the first answer.
    const later = await postCheckout(browser, key, checkoutBody({ email }));
    expect(later.status).toBe(201);
    expect(later.body).toEqual(results[0]!.body);

    expect(await countOrders(email)).toBe(1);
    const [orderId] = [...ids];
    expect((await many<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [orderId]))[0]!.n).toBe(1);
    expect(await stockOf(t.db, variant!.id)).toBe(8);
    expect(await emailsTo(t.db, email)).toEqual([]);

    // Even after the order was paid, a replay answers the first response, byte for byte.
    const paid = await browser.agent.post(`/api/payments/test/${orderId}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(paid.body.order.status).toBe('paid');
    expect((await emailsTo(t.db, email)).map((m) => m.template)).toEqual(['order_confirmation']);
    const afterPayment = await postCheckout(browser, key, checkoutBody({ email }));
    expect(afterPayment.body).toEqual(results[0]!.body);
    expect(afterPayment.body.payment.status).toBe('pending');
  });

  it('the same key with another body is 409 idempotency_conflict; a missing or oversized key is 400', async () => {
    const [variant] = await pick(1, 10);
    const browser = await cartWith([[variant!.id, 1]]);
    const key = uniqueLabel('cle');
    expect((await postCheckout(browser, key, checkoutBody())).status).toBe(201);
    const other = await postCheckout(browser, key, checkoutBody({ shippingMethodId: 'atelier' }));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');

    const missing = await browser.agent.post('/api/checkout').set('X-CSRF-Token', browser.csrf).send(checkoutBody());
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('Idempotency-Key');
    expect((await postCheckout(browser, 'x'.repeat(256))).status).toBe(400);
  });
});

describe('checkout validation', () => {
  it('rejects bad input with 400 invalid_request and per-field details, never 5xx', async () => {
    const [variant] = await pick(1, 10);
    const browser = await cartWith([[variant!.id, 1]]);
    const bad = await postCheckout(browser, uniqueLabel('cle'), { email: 'pas-un-email', shippingAddress: { name: '' }, shippingMethodId: 'X', paymentProvider: 'cheque' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'shippingAddress.name', 'shippingAddress.line1', 'shippingMethodId', 'paymentProvider']));
    const unknownMethod = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ shippingMethodId: 'pigeon-voyageur' }));
    expect(unknownMethod.status).toBe(400);
    expect(unknownMethod.body.error.details[0].path).toBe('shippingMethodId');
    const notJson = await browser.agent.post('/api/checkout').set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', 'k').set('Content-Type', 'application/json').send('{"email":');
    expect(notJson.status).toBe(400);
  });

  it('an empty cart is 409 cart_empty; no session is 401; a missing CSRF token is 403', async () => {
    const browser = await openBrowser(t.app);
    const empty = await postCheckout(browser, uniqueLabel('cle'));
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('cart_empty');
    expect((await t.http.post('/api/checkout').set('Idempotency-Key', 'k').send(checkoutBody())).status).toBe(401);
    const noCsrf = await browser.agent.post('/api/checkout').set('Idempotency-Key', 'k').send(checkoutBody());
    expect(noCsrf.status).toBe(403);
  });

  it('a cart line whose variant was archived since is 409 out_of_stock with available 0', async () => {
    const [variant] = await pick(1, 10);
    const browser = await cartWith([[variant!.id, 1]]);
    await exec(t.db, "UPDATE variants SET status = 'archived' WHERE id = $1", [variant!.id]);
    const res = await postCheckout(browser, uniqueLabel('cle'));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'out_of_stock', details: [{ variantId: variant!.id, available: 0 }] });
  });

  it('documents every cart, checkout, order and payment route in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/cart',
        '/api/cart/items',
        '/api/cart/items/{variantId}',
        '/api/cart/discount',
        '/api/shipping-methods',
        '/api/checkout',
        '/api/orders',
        '/api/orders/{id}',
        '/api/payments/test/{orderId}/confirm',
        '/api/payments/stripe/webhook',
      ]),
    );
  });
});
