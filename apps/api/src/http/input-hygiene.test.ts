import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../testing.js';
import { addToCart, checkoutBody, openBrowser, postCheckout, useShopTest, type VariantPicker } from '../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => {
  t = app;
  pick = picker;
});

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const countCustomers = async (email: string) => (await t.db.query('SELECT count(*)::int AS n FROM customers WHERE email = $1', [email])).rows[0].n;

describe('text input hygiene', () => {
  it('a lone surrogate in any shipping-address field is 400 invalid_request naming the field, and creates no order', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 1);
    for (const field of ['name', 'line1', 'line2', 'postalCode', 'city', 'country']) {
      for (const bad of [`Léa ${LONE_HIGH}`, `${LONE_LOW}Lyon`]) {
        const body = checkoutBody({ shippingAddress: { ...checkoutBody().shippingAddress, [field]: bad } });
        const res = await postCheckout(browser, randomUUID(), body);
        expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(res.body.error.details).toEqual([{ path: `shippingAddress.${field}`, message: expect.stringMatching(/substitution/) }]);
      }
    }
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM orders WHERE email = 'lea.martin@exemple.fr'");
    expect(rows[0].n).toBe(0);
  });

  it('registration refuses a lone surrogate or a control character in the name instead of storing U+FFFD', async () => {
    for (const [name, message] of [
      [`Léa${LONE_HIGH}`, /substitution/],
      ['Léa\u0000Martin', /contrôle/],
      ['Léa\u009bMartin', /contrôle/],
    ] as const) {
      const email = `hygiene-${randomUUID()}@exemple.fr`;
      const res = await t.http.post('/api/auth/register').send({ email, password: 'Perles-de-nacre-2026', name });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'name', message: expect.stringMatching(message) }]);
      expect(await countCustomers(email)).toBe(0);
    }
  });

  it('a well-formed surrogate pair (an emoji) is accepted', async () => {
    const email = `emoji-${randomUUID()}@exemple.fr`;
    const res = await t.http.post('/api/auth/register').send({ email, password: 'Perles-de-nacre-2026', name: 'Léa 🌸' });
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBe('Léa 🌸');
  });

  it('control characters in query strings, bad characters in object keys and control characters in passwords are refused the same way', async () => {
    // A URL carries UTF-8, so a lone surrogate cannot arrive there, but control characters can.
    const query = await t.http.get('/api/products?q=robe%07');
    expect(query.status).toBe(400);
    expect(query.body.error.details[0].path).toBe('q');
    const key = await t.http.post('/api/auth/login').send({ email: 'a@exemple.fr', password: 'x', [`e${LONE_HIGH}`]: 1 });
    expect(key.status).toBe(400);
    expect(key.body.error.details[0].message).toMatch(/nom de champ/);
    const password = await t.http.post('/api/auth/login').send({ email: 'a@exemple.fr', password: 'abc\u0007def' });
    expect(password.status).toBe(400);
    expect(password.body.error.details[0].path).toBe('password');
  });

  it('a body nested deeper than any schema is 400, never a stack overflow', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const post = (raw: string) => t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(`{"email":"a@exemple.fr","password":"x","deep":${raw}}`);
    const deep = await post(nested(100));
    expect(deep.status).toBe(400);
    expect(deep.body.error.details[0].message).toMatch(/imbrication/);
    // As deep as 100 KB of JSON goes.
    const deeper = await post(nested(16_000));
    expect(deeper.status).toBe(400);
    expect(deeper.body.error.code).toBe('invalid_request');
  });
});
