import { exec, one } from '@girlycrea/db';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import { buildApp, type TestApp } from '../../testing.js';
import { addToCart, openBrowser, refreshCsrf, useShopTest, type VariantPicker } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

const uniqueEmail = (label: string) => `${uniqueLabel(label)}@exemple.fr`;
/** An API on the same database and Redis allowing 99 units per line and many cart changes (for concurrency tests). */
const roomyShop = () => buildApp({ db: t.db, cache: t.cache, config: { LIMIT_LINE_QUANTITY: 99, RATE_CART_WRITES_PER_MINUTE: 1000 } });

describe('cart', () => {
  it('reads as empty without a session; changing it without a session is 401', async () => {
    const empty = await t.http.get('/api/cart');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ items: [], subtotalCents: 0, totalCents: 0, vatCents: 0, currency: 'EUR' });
    const [variant] = await pick(1, 5);
    const res = await t.http.post('/api/cart/items').send({ variantId: variant!.id, quantity: 1 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('prices every line from PostgreSQL on each read and ignores a client-sent price', async () => {
    const [a, b] = await pick(2, 10);
    const browser = await openBrowser(t.app);
    const res = await browser.agent
      .post('/api/cart/items')
      .set('X-CSRF-Token', browser.csrf)
      .send({ variantId: a!.id, quantity: 2, priceCents: 1, unitPriceCents: 1 });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ variantId: a!.id, sku: a!.sku, quantity: 2, unitPriceCents: a!.priceCents, lineTotalCents: 2 * a!.priceCents }),
    ]);
    // The line's thumbnail is the variant's own picture.
    const own = await one<{ url: string }>(t.db, 'SELECT url FROM product_images WHERE variant_id = $1 ORDER BY position LIMIT 1', [a!.id]);
    expect(res.body.items[0].imageUrl).toBe(own.url);
    await addToCart(browser, b!.id, 1);
    await addToCart(browser, a!.id, 1);
    // The shop changes a price: the next read shows it.
    await exec(t.db, 'UPDATE variants SET price_cents = 1000 WHERE id = $1', [a!.id]);
    const cart = (await browser.agent.get('/api/cart')).body;
    expect(cart.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity])).toEqual([
      [a!.id, 3],
      [b!.id, 1],
    ]);
    expect(cart.subtotalCents).toBe(3000 + b!.priceCents);
    expect(cart.totalCents).toBe(cart.subtotalCents);
    expect(cart.vatCents).toBe(Math.floor((3000 + 3) / 6) + Math.floor((b!.priceCents + 3) / 6));
    expect(cart.shippingCents).toBeUndefined();
  });

  it('enforces 1..99 per line, the line cap (the shop’s or the variant’s), the stock, and answers clear French errors', async () => {
    const [variant] = await pick(1, 3);
    const browser = await openBrowser(t.app);
    const post = (body: object) => browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send(body);
    for (const body of [{ variantId: variant!.id, quantity: 0 }, { variantId: variant!.id, quantity: 100 }, { variantId: variant!.id, quantity: 1.5 }, { variantId: 'x', quantity: 1 }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    await addToCart(browser, variant!.id, 2);
    const short = await post({ variantId: variant!.id, quantity: 2 });
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({
      code: 'out_of_stock',
      message: 'Il ne reste que 3 exemplaires de cet article.',
      details: [{ variantId: variant!.id, sku: variant!.sku, requested: 4, available: 3 }],
    });
    await exec(t.db, 'UPDATE variants SET stock = 0 WHERE id = $1', [variant!.id]);
    const soldOut = await browser.agent.patch(`/api/cart/items/${variant!.id}`).set('X-CSRF-Token', browser.csrf).send({ quantity: 1 });
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.error.message).toBe('Cet article est épuisé.');

    // The shop's default line cap (10), then the variant's own.
    const [capped] = await pick(1, 50);
    await addToCart(browser, capped!.id, 10);
    const over = await post({ variantId: capped!.id, quantity: 1 });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe('10 exemplaires au plus de cet article par commande.');
    await exec(t.db, 'UPDATE variants SET max_per_order = 2 WHERE id = $1', [capped!.id]);
    const lowered = await browser.agent.patch(`/api/cart/items/${capped!.id}`).set('X-CSRF-Token', browser.csrf).send({ quantity: 3 });
    expect(lowered.status).toBe(400);
    expect(lowered.body.error.message).toBe('2 exemplaires au plus de cet article par commande.');
    const line = (await browser.agent.get('/api/cart')).body.items.find((item: { variantId: string }) => item.variantId === capped!.id);
    expect(line).toMatchObject({ quantity: 10, availableQuantity: 2 });
  });

  it('rejects unknown and archived variants and those of inactive products with 404', async () => {
    const [archived, draft] = await pick(2, 10);
    await exec(t.db, "UPDATE variants SET status = 'archived' WHERE id = $1", [archived!.id]);
    await exec(t.db, "UPDATE products SET status = 'draft' WHERE id = $1", [draft!.productId]);
    const browser = await openBrowser(t.app);
    for (const variantId of ['00000000-0000-4000-8000-000000000000', archived!.id, draft!.id]) {
      const res = await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId, quantity: 1 });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', message: 'Cet article est introuvable ou n’est plus en vente.' });
    }
  });

  it('PATCH sets a quantity and 0 removes the line; DELETE removes it; a line not in the cart is 404', async () => {
    const [a, b] = await pick(2, 20);
    const browser = await openBrowser(t.app);
    await addToCart(browser, a!.id, 1);
    await addToCart(browser, b!.id, 1);
    const patch = (id: string, quantity: number) => browser.agent.patch(`/api/cart/items/${id}`).set('X-CSRF-Token', browser.csrf).send({ quantity });
    expect((await patch(a!.id, 5)).body.items[0].quantity).toBe(5);
    expect((await patch(a!.id, 0)).body.items.map((i: { variantId: string }) => i.variantId)).toEqual([b!.id]);
    expect((await patch(a!.id, 2)).status).toBe(404);
    const deleted = await browser.agent.delete(`/api/cart/items/${b!.id}`).set('X-CSRF-Token', browser.csrf);
    expect(deleted.status).toBe(200);
    expect(deleted.body.items).toEqual([]);
  });

  it('holds at most 50 distinct lines', async () => {
    const variants = await pick(51, 5);
    const browser = await openBrowser(t.app);
    for (const variant of variants.slice(0, 50)) await addToCart(browser, variant.id, 1);
    const res = await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variants[50]!.id, quantity: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('50 concurrent adds of 1 on one session all count: none is lost', async () => {
    const [variant] = await pick(1, 200);
    const browser = await openBrowser(roomyShop());
    const post = () => browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, post));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(results.map((r) => r.body.items[0].quantity).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await browser.agent.get('/api/cart')).body.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 50 })]);
  });

  it('concurrent adds stop exactly at the stock and at the line cap (99 here), whatever the interleaving', async () => {
    const [scarce, plenty] = await pick(2, 30);
    await exec(t.db, 'UPDATE variants SET stock = 500 WHERE id = $1', [plenty!.id]);
    const browser = await openBrowser(roomyShop());
    const post = (variantId: string) => browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId, quantity: 1 });
    const results = await Promise.all([...Array.from({ length: 50 }, () => post(scarce!.id)), ...Array.from({ length: 120 }, () => post(plenty!.id))]);
    const toScarce = results.slice(0, 50);
    const toPlenty = results.slice(50);
    expect(toScarce.filter((r) => r.status === 200)).toHaveLength(30);
    expect(toScarce.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array.from({ length: 20 }, () => 'out_of_stock'));
    expect(toPlenty.filter((r) => r.status === 200)).toHaveLength(99);
    expect(toPlenty.filter((r) => r.status === 400).map((r) => r.body.error.code)).toEqual(Array.from({ length: 21 }, () => 'invalid_request'));
    const cart = (await browser.agent.get('/api/cart')).body;
    expect(Object.fromEntries(cart.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity]))).toEqual({ [scarce!.id]: 30, [plenty!.id]: 99 });
  });

  it('keys a line by the variant id whatever its case', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id.toUpperCase(), 1);
    await addToCart(browser, variant!.id, 1);
    const cart = (await browser.agent.get('/api/cart')).body;
    expect(cart.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 2, unitPriceCents: variant!.priceCents })]);
    const removed = await browser.agent.delete(`/api/cart/items/${variant!.id.toUpperCase()}`).set('X-CSRF-Token', browser.csrf);
    expect(removed.body.items).toEqual([]);
  });

  it('reads and converts a cart saved in the former JSON format', async () => {
    const [a, b] = await pick(2, 10);
    const browser = await openBrowser(t.app);
    const key = `cart:guest:${browser.sessionId}`;
    await t.cache.set(key, JSON.stringify({ items: [{ variantId: a!.id, quantity: 2 }, { variantId: b!.id, quantity: 1 }], discountCode: 'BIENVENUE10' }), 60_000);
    await addToCart(browser, b!.id, 1);
    const cart = (await browser.agent.get('/api/cart')).body;
    expect(cart.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity])).toEqual([
      [a!.id, 2],
      [b!.id, 2],
    ]);
    expect(cart.discountCode).toBe('BIENVENUE10');
    expect(await t.cache.pttl(key)).toBeGreaterThan(29 * 24 * 3_600_000);
  });

  it('lives 30 days in Redis and survives an API restart', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 2);
    const ttl = await t.cache.pttl(`cart:guest:${browser.sessionId}`);
    expect(ttl).toBeGreaterThan(29 * 24 * 3_600_000);
    const sibling = t.sibling();
    try {
      const res = await supertest(sibling.app).get('/api/cart').set('Cookie', `sid=${browser.sessionId}`);
      expect(res.body.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 2 })]);
    } finally {
      await sibling.close();
    }
  });
});

describe('discount codes and shipping', () => {
  it('applies a code in any case, refuses unknown, expired, used-up (one answer) or below-minimum codes with 409 discount_invalid', async () => {
    const [variant] = await pick(1, 50);
    await exec(t.db, 'UPDATE variants SET price_cents = 1000 WHERE id = $1', [variant!.id]);
    await exec(
      t.db,
      `INSERT INTO discount_codes (code, kind, value, ends_at, starts_at) VALUES ('FINI', 'percent', 10, now() - interval '1 day', now() - interval '10 days');
       INSERT INTO discount_codes (code, kind, value, usage_limit, used_count) VALUES ('EPUISE', 'percent', 10, 1, 1)`,
    );
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 2);
    const apply = (code: string) => browser.agent.post('/api/cart/discount').set('X-CSRF-Token', browser.csrf).send({ code });
    for (const code of ['NEXISTEPAS', 'fini', 'EPUISE']) {
      const res = await apply(code);
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({ code: 'discount_invalid', message: 'Ce code promo n’est pas valable.' });
    }
    const belowMinimum = await apply('cadeau5');
    expect(belowMinimum.status).toBe(409);
    expect(belowMinimum.body.error.message).toBe('Ce code promo s’applique dès 30,00 € d’achat.');

    const ok = await apply('bienvenue10');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ discountCode: 'BIENVENUE10', subtotalCents: 2000, discountCents: 200, totalCents: 1800, vatCents: 300 });
    const removed = await browser.agent.delete('/api/cart/discount').set('X-CSRF-Token', browser.csrf);
    expect(removed.body).toMatchObject({ discountCents: 0, totalCents: 2000 });
    expect(removed.body.discountCode).toBeUndefined();
  });

  it('lists shipping methods and adds shipping to the cart total, free over the threshold', async () => {
    const methods = await t.http.get('/api/shipping-methods');
    expect(methods.status).toBe(200);
    expect(methods.body.map((m: { id: string }) => m.id)).toEqual(['colissimo', 'mondial-relay', 'atelier']);
    expect(methods.body[2]).toMatchObject({ name: 'Retrait à l’atelier', priceCents: 0 });

    const [variant] = await pick(1, 50);
    await exec(t.db, 'UPDATE variants SET price_cents = 2000 WHERE id = $1', [variant!.id]);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 2);
    const paid = (await browser.agent.get('/api/cart?shippingMethodId=colissimo')).body;
    expect(paid).toMatchObject({ subtotalCents: 4000, shippingCents: 590, totalCents: 4590, vatCents: 667 + 98 });
    await addToCart(browser, variant!.id, 1);
    expect((await browser.agent.get('/api/cart?shippingMethodId=colissimo')).body).toMatchObject({ shippingCents: 0, totalCents: 6000 });
    expect((await browser.agent.get('/api/cart?shippingMethodId=inconnu')).status).toBe(400);
  });
});

describe('merging at sign-in', () => {
  it('adds the guest cart to the customer’s at login, capped by stock, and keeps it across sessions', async () => {
    const [shared, guestOnly] = await pick(2, 5);
    const email = uniqueEmail('fusion');
    const password = 'Perles-de-nacre-2026';
    // The customer's own cart from an earlier visit.
    const first = await openBrowser(t.app);
    expect((await first.agent.post('/api/auth/register').set('X-CSRF-Token', first.csrf).send({ email, password, name: 'Léa' })).status).toBe(201);
    const signedIn = await refreshCsrf(first);
    await addToCart(signedIn, shared!.id, 3);

    const guest = await openBrowser(t.app);
    await addToCart(guest, shared!.id, 4);
    await addToCart(guest, guestOnly!.id, 1);
    await guest.agent.post('/api/cart/discount').set('X-CSRF-Token', guest.csrf).send({ code: 'bienvenue10' });
    const login = await guest.agent.post('/api/auth/login').set('X-CSRF-Token', guest.csrf).send({ email, password });
    expect(login.status).toBe(200);

    const cart = (await guest.agent.get('/api/cart')).body;
    expect(cart.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity])).toEqual([
      [shared!.id, 5], // 3 + 4, capped by the stock of 5
      [guestOnly!.id, 1],
    ]);
    expect(cart.discountCode).toBe('BIENVENUE10');
    // The same cart from the customer's other session; the old guest cart is gone.
    expect((await signedIn.agent.get('/api/cart')).body.items).toHaveLength(2);
    expect(await t.cache.get(`cart:guest:${guest.sessionId}`)).toBeNull();
  });

  it('keeps the guest cart when registering', async () => {
    const [variant] = await pick(1, 5);
    const guest = await openBrowser(t.app);
    await addToCart(guest, variant!.id, 2);
    const res = await guest.agent
      .post('/api/auth/register')
      .set('X-CSRF-Token', guest.csrf)
      .send({ email: uniqueEmail('inscription-panier'), password: 'Perles-de-nacre-2026', name: 'Zoé' });
    expect(res.status).toBe(201);
    expect((await guest.agent.get('/api/cart')).body.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 2 })]);
  });
});
