import { many, one } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing.js';
import { signInAdmin, type AdminBrowser } from '../../testing/admin.js';
import { addToCart, checkoutBody, openBrowser, postCheckout, refreshCsrf, useShopTest, type VariantPicker } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

const auditCount = async () => (await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM audit_log')).n;
const newCode = () => uniqueLabel('promo').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 30);
const newMethodId = () => uniqueLabel('lettre').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

async function lastAudit(admin: AdminBrowser, entityType: string, entityId: string) {
  return (await admin.agent.get(`/api/admin/audit?entityType=${entityType}&entityId=${entityId}`)).body.items[0];
}

// A shopper with one unit in her cart.
async function shopperWithCart() {
  const shopper = await openBrowser(t.app);
  const [variant] = await pick(1, 10);
  await addToCart(shopper, variant!.id, 1);
  return shopper;
}

describe('discount codes in the back office', () => {
  it('creates a code (stored upper case, audited); a shopper uses it at checkout and its use count shows in the list', async () => {
    const admin = await signInAdmin(t);
    const code = newCode();
    const created = await admin.agent.post('/api/admin/discounts').set('X-CSRF-Token', admin.csrf).send({ code: code.toLowerCase(), kind: 'percent', value: 15 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ code, kind: 'percent', value: 15, minSubtotalCents: 0, active: true, usedCount: 0, usageLimit: null });
    expect(await lastAudit(admin, 'discount', created.body.id)).toMatchObject({ action: 'discount.create', before: null, after: { code, value: 15 } });

    const shopper = await shopperWithCart();
    expect((await shopper.agent.post('/api/cart/discount').set('X-CSRF-Token', shopper.csrf).send({ code })).status).toBe(200);
    const order = await postCheckout(shopper, uniqueLabel('cle'));
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body.order.discountCents).toBeGreaterThan(0);

    const list = await admin.agent.get('/api/admin/discounts');
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: created.body.id, usedCount: 1 }));
  });

  it('refuses bad input with a French 400 or 409 and writes nothing: percent above 100, negative amount, end before start, duplicate code', async () => {
    const admin = await signInAdmin(t);
    const code = newCode();
    expect((await admin.agent.post('/api/admin/discounts').set('X-CSRF-Token', admin.csrf).send({ code, kind: 'fixed', value: 500 })).status).toBe(201);
    const rows = async () => (await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM discount_codes')).n;
    const [codesBefore, auditBefore] = [await rows(), await auditCount()];

    const cases: [object, number, string, RegExp][] = [
      [{ code: newCode(), kind: 'percent', value: 150 }, 400, 'value', /pourcentage va de 1 à 100/],
      [{ code: newCode(), kind: 'fixed', value: -100 }, 400, 'value', /positive/],
      [{ code: newCode(), kind: 'fixed', value: 100, minSubtotalCents: -1 }, 400, 'minSubtotalCents', /négatif/],
      [{ code: newCode(), kind: 'fixed', value: 100, startsAt: '2026-12-24T00:00:00+01:00', endsAt: '2026-12-01T00:00:00+01:00' }, 400, 'endsAt', /après le début/],
      [{ code: 'x!', kind: 'fixed', value: 100 }, 400, 'code', /lettres, chiffres/],
      [{ code: code.toLowerCase(), kind: 'percent', value: 10 }, 409, 'code', /existe déjà/],
    ];
    for (const [input, status, path, message] of cases) {
      const res = await admin.agent.post('/api/admin/discounts').set('X-CSRF-Token', admin.csrf).send(input);
      expect(res.status, JSON.stringify(input)).toBe(status);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }));
    }
    expect(await rows()).toBe(codesBefore);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('editing: a percent above 100 (checked with the stored kind) is refused unchanged; disabling is audited and checkout then refuses the code', async () => {
    const admin = await signInAdmin(t);
    const created = (await admin.agent.post('/api/admin/discounts').set('X-CSRF-Token', admin.csrf).send({ code: newCode(), kind: 'percent', value: 10 })).body;
    // A shopper applies it now and pays after the owner disables it.
    const shopper = await shopperWithCart();
    expect((await shopper.agent.post('/api/cart/discount').set('X-CSRF-Token', shopper.csrf).send({ code: created.code })).status).toBe(200);
    const auditBefore = await auditCount();

    const tooMuch = await admin.agent.patch(`/api/admin/discounts/${created.id}`).set('X-CSRF-Token', admin.csrf).send({ value: 120 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toMatch(/pourcentage va de 1 à 100/);
    expect(await one(t.db, 'SELECT value FROM discount_codes WHERE id = $1', [created.id])).toEqual({ value: 10 });
    expect(await auditCount()).toBe(auditBefore);

    const disabled = await admin.agent.patch(`/api/admin/discounts/${created.id}`).set('X-CSRF-Token', admin.csrf).send({ active: false });
    expect(disabled.status).toBe(200);
    expect(await lastAudit(admin, 'discount', created.id)).toMatchObject({ action: 'discount.update', before: { active: true }, after: { active: false } });

    const res = await postCheckout(shopper, uniqueLabel('cle'));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'discount_invalid', message: 'Ce code promo n’est pas valable.' });
    const other = await shopperWithCart();
    expect((await other.agent.post('/api/cart/discount').set('X-CSRF-Token', other.csrf).send({ code: created.code })).status).toBe(409);
  });

  it('a usage limit below the uses already counted is 409 and changes nothing; unknown code 404', async () => {
    const admin = await signInAdmin(t);
    const created = (await admin.agent.post('/api/admin/discounts').set('X-CSRF-Token', admin.csrf).send({ code: newCode(), kind: 'fixed', value: 200 })).body;
    for (let i = 0; i < 2; i++) {
      const shopper = await shopperWithCart();
      await shopper.agent.post('/api/cart/discount').set('X-CSRF-Token', shopper.csrf).send({ code: created.code });
      expect((await postCheckout(shopper, uniqueLabel('cle'))).status).toBe(201);
    }
    const auditBefore = await auditCount();
    const res = await admin.agent.patch(`/api/admin/discounts/${created.id}`).set('X-CSRF-Token', admin.csrf).send({ usageLimit: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/déjà servi 2 fois/);
    expect(await one(t.db, 'SELECT usage_limit, used_count FROM discount_codes WHERE id = $1', [created.id])).toEqual({ usage_limit: null, used_count: 2 });
    expect(await auditCount()).toBe(auditBefore);
    expect((await admin.agent.patch('/api/admin/discounts/00000000-0000-4000-8000-000000000000').set('X-CSRF-Token', admin.csrf).send({ active: false })).status).toBe(404);
  });
});

describe('shipping methods in the back office', () => {
  it('creates a method offered at checkout, counts its orders, and once disabled it leaves the list and checkout refuses it; each write audited', async () => {
    const admin = await signInAdmin(t);
    const id = newMethodId();
    const created = await admin.agent.post('/api/admin/shipping-methods').set('X-CSRF-Token', admin.csrf).send({ id, name: 'Lettre suivie', priceCents: 250, position: 9 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({ id, name: 'Lettre suivie', priceCents: 250, freeOverCents: null, position: 9, active: true, orders: 0 });
    expect(await lastAudit(admin, 'shipping_method', id)).toMatchObject({ action: 'shipping_method.create', after: { name: 'Lettre suivie' } });

    const offered = await t.http.get('/api/shipping-methods');
    expect(offered.headers['cache-control']).toBe('private, no-cache');
    expect(offered.body).toContainEqual(expect.objectContaining({ id, name: 'Lettre suivie', priceCents: 250, kind: 'home', requiresPhone: false }));
    const buyer = await shopperWithCart();
    const order = await postCheckout(buyer, uniqueLabel('cle'), checkoutBody({ shippingMethodId: id }));
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body.order.shippingCents).toBe(250);
    expect((await admin.agent.get('/api/admin/shipping-methods')).body.items).toContainEqual(expect.objectContaining({ id, orders: 1 }));

    const disabled = await admin.agent.patch(`/api/admin/shipping-methods/${id}`).set('X-CSRF-Token', admin.csrf).send({ active: false });
    expect(disabled.status).toBe(200);
    expect(await lastAudit(admin, 'shipping_method', id)).toMatchObject({ action: 'shipping_method.update', before: { active: true }, after: { active: false } });
    expect((await t.http.get('/api/shipping-methods')).body.map((m: { id: string }) => m.id)).not.toContain(id);
    const late = await shopperWithCart();
    const refused = await postCheckout(late, uniqueLabel('cle'), checkoutBody({ shippingMethodId: id }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toContainEqual(expect.objectContaining({ path: 'shippingMethodId' }));
    // The admin list still shows it, not offered, with its order.
    expect((await admin.agent.get('/api/admin/shipping-methods')).body.items).toContainEqual(expect.objectContaining({ id, active: false, orders: 1 }));
  });

  it('refuses a negative price, a bad id, a free threshold of 0, a taken id or an empty change with a French 4xx, writing nothing', async () => {
    const admin = await signInAdmin(t);
    const rows = async () => many(t.db, 'SELECT id, name, price_cents, free_over_cents, position, active FROM shipping_methods ORDER BY id');
    const [before, auditBefore] = [await rows(), await auditCount()];
    const cases: [string, string, object, number, RegExp][] = [
      ['post', '/api/admin/shipping-methods', { id: newMethodId(), name: 'Coursier', priceCents: -1 }, 400, /négatif/],
      ['post', '/api/admin/shipping-methods', { id: 'Pas Bon', name: 'Coursier', priceCents: 100 }, 400, /identifiant invalide/],
      ['post', '/api/admin/shipping-methods', { id: newMethodId(), name: 'Coursier', priceCents: 100, freeOverCents: 0 }, 400, /positif/],
      ['post', '/api/admin/shipping-methods', { id: 'colissimo', name: 'Doublon', priceCents: 100 }, 409, /déjà pris/],
      ['patch', '/api/admin/shipping-methods/colissimo', { priceCents: -590 }, 400, /négatif/],
      ['patch', '/api/admin/shipping-methods/colissimo', {}, 400, /aucun champ/],
      ['patch', '/api/admin/shipping-methods/inconnu', { active: false }, 404, /introuvable/],
    ];
    for (const [method, path, input, status, message] of cases) {
      const res = await (method === 'post' ? admin.agent.post(path) : admin.agent.patch(path)).set('X-CSRF-Token', admin.csrf).send(input);
      expect(res.status, `${method} ${path} ${JSON.stringify(input)}`).toBe(status);
      expect(JSON.stringify(res.body.error)).toMatch(message);
    }
    expect(await rows()).toEqual(before);
    expect(await auditCount()).toBe(auditBefore);
  });
});

describe('a customer’s page in the back office', () => {
  it('shows her account, saved addresses and orders; an unknown id or an admin is 404', async () => {
    const admin = await signInAdmin(t);
    const email = `${uniqueLabel('fiche')}@exemple.fr`;
    let customer = await openBrowser(t.app);
    const registered = await customer.agent.post('/api/auth/register').set('X-CSRF-Token', customer.csrf).send({ email, password: 'Perles-de-nacre-2026', name: 'Inès Martin' });
    expect(registered.status).toBe(201);
    customer = await refreshCsrf(customer);
    const address = { name: 'Inès Martin', line1: '3 place Bellecour', postalCode: '69002', city: 'Lyon', country: 'FR', phone: '06 11 22 33 44' };
    expect((await customer.agent.post('/api/me/addresses').set('X-CSRF-Token', customer.csrf).send(address)).status).toBe(201);
    const [variant] = await pick(1, 10);
    await addToCart(customer, variant!.id, 1);
    const order = (await postCheckout(customer, uniqueLabel('cle'), checkoutBody({ email }))).body.order;
    const id = registered.body.user.id as string;

    const res = await admin.agent.get(`/api/admin/customers/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customer: { id, email, name: 'Inès Martin', emailVerifiedAt: null },
      addresses: [{ line1: '3 place Bellecour', postalCode: '69002', city: 'Lyon' }],
      orders: [{ id: order.id, number: order.number, status: 'pending_payment', totalCents: order.totalCents }],
    });
    expect((await admin.agent.get('/api/admin/customers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const { id: adminId } = await one<{ id: string }>(t.db, 'SELECT id FROM customers WHERE email = $1', [admin.email]);
    expect((await admin.agent.get(`/api/admin/customers/${adminId}`)).status).toBe(404);
    expect((await admin.agent.get('/api/admin/customers/pas-un-id')).status).toBe(400);
  });
});
