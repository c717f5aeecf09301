import { countKeys } from '@girlycrea/testkit';
import supertest from 'supertest';
import { describe, expect, it, inject } from 'vitest';
import { buildApp, type TestApp } from '../testing.js';
import { openBrowser, useShopTest, type Browser, type VariantPicker } from '../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => {
  t = app;
  pick = picker;
});

const DAY_MS = 24 * 3_600_000;
const sessionKeys = () => countKeys(inject('redisUrl'), t.prefix, 'sess:*');
const addItem = (browser: Browser, variantId: string, quantity = 1) =>
  browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId, quantity });

describe('anonymous sessions', () => {
  it('2,000 cookie-less GET /api/csrf store no session at all', async () => {
    const before = await sessionKeys();
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => t.http.get('/api/csrf')));
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    }
    expect(await sessionKeys()).toBe(before);
  }, 60_000);

  it('a guest session is stored by its first cart write, short-lived until the write succeeds, then kept 7 days', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    expect(await t.cache.pttl(`sess:${browser.sessionId}`)).toBe(-2);
    // A refused write stores the session, but only for the short guest lifetime.
    const refused = await addItem(browser, variant!.id, 0);
    expect(refused.status).toBe(400);
    const short = await t.cache.pttl(`sess:${browser.sessionId}`);
    expect(short).toBeGreaterThan(0);
    expect(short).toBeLessThanOrEqual(3_600_000);
    expect((await addItem(browser, variant!.id)).status).toBe(200);
    await expect.poll(() => t.cache.pttl(`sess:${browser.sessionId}`)).toBeGreaterThan(6 * DAY_MS);
    const cart = await browser.agent.get('/api/cart');
    expect(cart.body.items.map((item: { variantId: string }) => item.variantId)).toEqual([variant!.id]);
  });

  it('at most GUEST_SESSIONS_PER_IP new guest sessions per IP per 10 minutes: then 429 with Retry-After and a French message', async () => {
    const app = buildApp({ db: t.db, cache: t.cache, config: { GUEST_SESSIONS_PER_IP: 5 } });
    const [variant] = await pick(1, 1000);
    const ip = '10.200.0.1';
    const fromIp = (browser: Browser) =>
      browser.agent.post('/api/cart/items').set('X-Forwarded-For', ip).set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 1 });
    const first = await openBrowser(app);
    expect((await fromIp(first)).status).toBe(200);
    for (let n = 1; n < 5; n += 1) expect((await fromIp(await openBrowser(app))).status).toBe(200);
    const browser = await openBrowser(app);
    const refused = await fromIp(browser);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/^Trop de nouvelles sessions/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(await t.cache.pttl(`sess:${browser.sessionId}`)).toBe(-2);
    // Sessions that exist keep working from that IP; another IP is not affected.
    expect((await fromIp(first)).status).toBe(200);
    const other = await openBrowser(app);
    expect((await addItem(other, variant!.id)).status).toBe(200);
  });
});

describe('CSRF with Origin and Sec-Fetch-Site', () => {
  async function storedSession(): Promise<Browser> {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    expect((await addItem(browser, variant!.id)).status).toBe(200);
    return browser;
  }
  const removeDiscount = (browser: Browser, headers: Record<string, string>, token = browser.csrf) => {
    const request = browser.agent.delete('/api/cart/discount').set('X-CSRF-Token', token);
    for (const [name, value] of Object.entries(headers)) request.set(name, value);
    return request;
  };

  it('a cookie-carrying write from another site is 403 csrf_failed even with the right token', async () => {
    const browser = await storedSession();
    for (const headers of [{ Origin: 'https://pirate.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }] as Record<string, string>[]) {
      const res = await removeDiscount(browser, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    }
  });

  it('the shop’s own pages and non-browser clients with the right token get through; a wrong token never does', async () => {
    const browser = await storedSession();
    for (const headers of [{ Origin: 'http://boutique.test', 'Sec-Fetch-Site': 'same-origin' }, { 'Sec-Fetch-Site': 'same-origin' }, {}] as Record<string, string>[]) {
      expect((await removeDiscount(browser, headers)).status, JSON.stringify(headers)).toBe(200);
      expect((await removeDiscount(browser, headers, `${browser.csrf.slice(0, -1)}x`)).status).toBe(403);
    }
  });

  it('CSRF_ALLOWED_ORIGINS lets another of the shop’s origins write', async () => {
    const app = buildApp({ db: t.db, cache: t.cache, config: { CSRF_ALLOWED_ORIGINS: ['https://admin.boutique.test'] } });
    const browser = await storedSession();
    const cookie = `sid=${browser.sessionId}`;
    const write = (origin: string) => supertest(app).delete('/api/cart/discount').set('Cookie', cookie).set('X-CSRF-Token', browser.csrf).set('Origin', origin);
    expect((await write('https://admin.boutique.test')).status).toBe(200);
    expect((await write('https://autre.boutique.test')).status).toBe(403);
  });

  it('a guest whose session is not stored yet needs the token of its cookie', async () => {
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(t.app);
    const other = await openBrowser(t.app);
    const stolen = await addItem({ ...browser, csrf: other.csrf }, variant!.id);
    expect(stolen.status).toBe(403);
    expect(await t.cache.pttl(`sess:${browser.sessionId}`)).toBe(-2);
    expect((await addItem(browser, variant!.id)).status).toBe(200);
  });
});
