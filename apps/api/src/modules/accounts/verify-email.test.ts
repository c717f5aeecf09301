import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import type { TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, refreshCsrf, useShopTest, type Browser, type VariantPicker } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

async function guestOrder(email: string): Promise<{ id: string; number: string }> {
  const [variant] = await pick(1, 5);
  const guest = await openBrowser(t.app);
  await addToCart(guest, variant!.id, 1);
  const res = await postCheckout(guest, uniqueLabel('cle'), checkoutBody({ email }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order;
}

async function registerAs(email: string): Promise<Browser> {
  const browser = await openBrowser(t.app);
  const res = await browser.agent.post('/api/auth/register').set('X-CSRF-Token', browser.csrf).send({ email, password: 'Perles-de-nacre-2026', name: 'Léa Martin' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.user.emailVerified).toBe(false);
  return refreshCsrf(browser);
}

const verifyTokenIn = (url: unknown) => new URL(String(url)).searchParams.get('token')!;
const orderNumbers = async (browser: Browser) => ((await browser.agent.get('/api/orders')).body.items as { number: string }[]).map((o) => o.number);

describe('guest orders of a verified address', () => {
  it('appear under the account only once the e-mailed verification link is clicked', async () => {
    const email = `${uniqueLabel('invitee')}@exemple.fr`;
    const before = await guestOrder(email.toUpperCase());
    const account = await registerAs(email);

    expect(await orderNumbers(account)).toEqual([]);
    expect((await account.agent.get(`/api/orders/${before.id}`)).status).toBe(404);

    const welcome = (await emailsTo(t.db, email)).find((mail) => mail.template === 'welcome')!;
    expect(welcome.data.verifyUrl).toMatch(/^http:\/\/boutique\.test\/compte\/verifier-email\?token=[A-Za-z0-9_-]{43}$/);
    const visitor = await openBrowser(t.app);
    const verified = await visitor.agent.post('/api/auth/verify-email').set('X-CSRF-Token', visitor.csrf).send({ token: verifyTokenIn(welcome.data.verifyUrl) });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.user).toMatchObject({ email, emailVerified: true });

    const after = await guestOrder(email);
    expect(await orderNumbers(account)).toEqual([after.number, before.number]);
    const seen = await account.agent.get(`/api/orders/${before.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.number).toBe(before.number);
    expect((await account.agent.get('/api/me')).body.user.emailVerified).toBe(true);
  });

  it('never lists another address’s guest orders, and a second click on the link still answers', async () => {
    const email = `${uniqueLabel('cliente')}@exemple.fr`;
    await guestOrder(`${uniqueLabel('autre')}@exemple.fr`);
    const account = await registerAs(email);
    const [welcome] = await emailsTo(t.db, email);
    const token = verifyTokenIn(welcome!.data.verifyUrl);
    for (let click = 0; click < 2; click += 1) {
      const res = await account.agent.post('/api/auth/verify-email').set('X-CSRF-Token', account.csrf).send({ token });
      expect(res.status).toBe(200);
    }
    expect(await orderNumbers(account)).toEqual([]);
  });

  it('refuses an unknown or malformed link with 400, and sends a new link on request until the address is confirmed', async () => {
    const email = `${uniqueLabel('relance')}@exemple.fr`;
    const account = await registerAs(email);
    const unknown = await account.agent.post('/api/auth/verify-email').set('X-CSRF-Token', account.csrf).send({ token: 'A'.repeat(43) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_token');
    expect((await account.agent.post('/api/auth/verify-email').set('X-CSRF-Token', account.csrf).send({ token: '<script>' })).status).toBe(400);

    const resend = await account.agent.post('/api/me/verify-email').set('X-CSRF-Token', account.csrf);
    expect(resend.status).toBe(202);
    const again = (await emailsTo(t.db, email)).find((mail) => mail.template === 'email_verification')!;
    expect(again.data).toMatchObject({ name: 'Léa Martin', expiresInDays: 7 });
    const res = await account.agent.post('/api/auth/verify-email').set('X-CSRF-Token', account.csrf).send({ token: verifyTokenIn(again.data.verifyUrl) });
    expect(res.status).toBe(200);
    expect((await account.agent.post('/api/me/verify-email').set('X-CSRF-Token', account.csrf)).status).toBe(409);
  });
});
