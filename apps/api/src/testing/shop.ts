import { exec, many, type Pool } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import supertest from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import type { createApp } from '../app.js';
import { createTestApp, type TestApp } from '../testing.js';

type App = ReturnType<typeof createApp>;
/** A supertest agent: a browser with a cookie jar. */
export type Agent = ReturnType<typeof supertest.agent>;

/** A browser-like client with a guest session and its CSRF token. */
export interface Browser {
  agent: Agent;
  csrf: string;
  /** The `sid` cookie's value. */
  sessionId: string;
}

let clients = 0;

/** Opens a guest session (GET /api/csrf) in a fresh cookie jar, from its own client IP behind the trusted proxy. */
export async function openBrowser(app: App): Promise<Browser> {
  clients += 1;
  const agent = supertest.agent(app).set('X-Forwarded-For', `10.9.${Math.floor(clients / 250) % 250}.${clients % 250}`);
  const res = await agent.get('/api/csrf');
  expect(res.status).toBe(200);
  const cookie = ([res.headers['set-cookie']].flat().filter(Boolean) as string[]).find((c) => c.startsWith('sid='))!;
  return { agent, csrf: res.body.token as string, sessionId: cookie.split(';')[0]!.slice('sid='.length) };
}

/** Re-reads the CSRF token (it changes when sign-in rotates the session). */
export async function refreshCsrf(browser: Browser): Promise<Browser> {
  const res = await browser.agent.get('/api/csrf');
  return { ...browser, csrf: res.body.token as string };
}

/** A purchasable demo variant reserved for one test, with its stock set. */
export interface TestVariant {
  id: string;
  sku: string;
  priceCents: number;
  productId: string;
}

/** Picks fresh variants (with a set stock) for each test of a file. */
export type VariantPicker = ReturnType<typeof variantPicker>;

/** Registers a file's hooks: an app on its own database and a variant picker on it, handed to `use`; closed after. */
export function useShopTest(use: (app: TestApp, pick: VariantPicker) => void): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp();
    use(app, variantPicker(app.db));
  });
  afterAll(async () => {
    await app?.close();
  });
}

/**
 * Hands out distinct active variants of active products (one set per test file's database) and
 * sets their stock, so tests never share a variant.
 */
export function variantPicker(db: Pool) {
  let used = 0;
  return async function pick(count: number, stock: number): Promise<TestVariant[]> {
    const rows = await many<{ id: string; sku: string; price_cents: number; product_id: string }>(
      db,
      `SELECT v.id, v.sku, v.price_cents, v.product_id FROM variants v JOIN products p ON p.id = v.product_id
       WHERE v.status = 'active' AND p.status = 'active' ORDER BY v.sku OFFSET $1 LIMIT $2`,
      [used, count],
    );
    if (rows.length < count) throw new Error('plus assez de variantes de démonstration');
    used += count;
    await exec(db, 'UPDATE variants SET stock = $2 WHERE id = ANY($1::uuid[])', [rows.map((row) => row.id), stock]);
    return rows.map((row) => ({ id: row.id, sku: row.sku, priceCents: row.price_cents, productId: row.product_id }));
  };
}

/** Current stock of a variant. */
export async function stockOf(db: Pool, variantId: string): Promise<number> {
  const [row] = await many<{ stock: number }>(db, 'SELECT stock FROM variants WHERE id = $1', [variantId]);
  return row!.stock;
}

/** Adds a variant to the browser's cart and expects 200. */
export async function addToCart(browser: Browser, variantId: string, quantity: number): Promise<void> {
  const res = await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId, quantity });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A valid checkout body, with an address of its own (one address may only hold a few unpaid orders). */
export function checkoutBody(overrides: Record<string, unknown> = {}) {
  return {
    email: `${uniqueLabel('lea.martin')}@exemple.fr`,
    shippingAddress: { name: 'Léa Martin', line1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR', phone: '06 12 34 56 78' },
    shippingMethodId: 'colissimo',
    paymentProvider: 'test',
    ...overrides,
  };
}

/** Posts a checkout with an Idempotency-Key. */
export function postCheckout(browser: Browser, key: string, body: object = checkoutBody()) {
  return browser.agent.post('/api/checkout').set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', key).send(body);
}

/** The e-mails queued for `to`, oldest first. */
export async function emailsTo(db: Pool, to: string): Promise<{ template: string; data: Record<string, unknown> }[]> {
  return many(db, 'SELECT template, data FROM email_outbox WHERE to_address = $1 ORDER BY created_at, id', [to]);
}
