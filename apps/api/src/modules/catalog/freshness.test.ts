import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createResponseCache } from '@girlycrea/cache';
import { exec, many, one, withTransaction } from '@girlycrea/db';
import { migrate, MIGRATIONS_DIR } from '@girlycrea/db/migrate';
import { seedGeneratedCatalog } from '@girlycrea/db/seed';
import { createLogger } from '@girlycrea/observability/logger';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExpireOrdersJob } from '../../jobs/expire-orders.js';
import { createTestApp, type TestApp } from '../../testing.js';
import { addToCart, checkoutBody, openBrowser, postCheckout } from '../../testing/shop.js';
import { settleUnpaidOrder } from '../orders/service.js';
import { startCatalogListener, type CatalogListener } from './changes.js';

// Done when 1, 2 and 5 of issue 21: every change a shopper can see reaches the API's answers, and the
// storefront is told which pages to re-render, within 1 s of its commit, whoever made it.
const LIMIT_MS = 1_000;
const SECRET = 'secret-de-revalidation-de-test';

let t: TestApp;
let listener: CatalogListener;
let api: Server;
let base: string;
let storefront: Server;
/** Tags of each POST /revalidate the storefront stand-in received, with the time it arrived. */
const revalidations: { at: number; tags: string[] }[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  t = await createTestApp();
  api = createServer(t.app);
  base = await listen(api);
  // Stands in for the storefront's POST /revalidate (the browser suite runs the real one).
  storefront = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url !== '/revalidate' || req.headers.authorization !== `Bearer ${SECRET}`) {
        res.writeHead(404).end();
        return;
      }
      revalidations.push({ at: performance.now(), tags: (JSON.parse(body) as { tags: string[] }).tags });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"revalidated":true}');
    });
  });
  const storefrontUrl = await listen(storefront);
  listener = startCatalogListener({
    directUrl: t.database.directUrl,
    responseCache: createResponseCache(t.cache),
    storefront: { url: storefrontUrl, secret: SECRET },
    logger: createLogger({ level: 'silent' }),
  });
  await listener.ready;
  // The first connection drops everything (changes made before it were not heard).
  await waitFor(async () => revalidations.some((r) => r.tags.includes('catalog')));
});

afterAll(async () => {
  await listener?.close();
  await Promise.all([new Promise((resolve) => api?.close(resolve)), new Promise((resolve) => storefront?.close(resolve))]);
  await t?.close();
});

beforeEach(() => {
  revalidations.length = 0;
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition jamais remplie');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Sends a read every 25 ms (without waiting for the previous one) until one sees `check` hold, and
 * returns how long after `since` the earliest such read was sent (fails after 5 s). The reads' own
 * duration is not staleness: on a loaded machine one can take longer than the change took to arrive.
 */
async function msUntil(since: number, check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + 5_000;
  const fresh: number[] = [];
  const inFlight = new Set<Promise<void>>();
  while (fresh.length === 0) {
    if (performance.now() > deadline) throw new Error('condition jamais remplie');
    const sent = performance.now();
    const read: Promise<void> = check().then((holds) => {
      if (holds) fresh.push(sent);
      inFlight.delete(read);
    });
    inFlight.add(read);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 25)), ...(inFlight.size >= 20 ? inFlight : [])]);
  }
  await Promise.all(inFlight);
  return Math.min(...fresh) - since;
}

interface Product {
  slug: string;
  variants: { id: string; priceCents: number; inStock: boolean }[];
}

const getProduct = async (slug: string): Promise<Product> => (await fetch(`${base}/api/products/${slug}`)).json() as Promise<Product>;
const listed = async (slug: string): Promise<{ slug: string; inStock: boolean; priceCents: number } | undefined> => {
  const list = (await (await fetch(`${base}/api/products?limit=100&sort=price_asc`)).json()) as { items: { slug: string; inStock: boolean; priceCents: number }[] };
  return list.items.find((item) => item.slug === slug);
};

let candidates: { slug: string; id: string }[] | undefined;
/** A product of its own for one test, with one variant holding `stock` units and the others none; its answers cached. */
async function productWithStock(stock: number): Promise<{ slug: string; productId: string; variantId: string }> {
  // Read once: a test archiving its product must not shift the others' choice.
  candidates ??= await many<{ slug: string; id: string }>(t.db, "SELECT slug, id FROM products WHERE status = 'active' ORDER BY slug");
  const row = candidates.shift();
  if (!row) throw new Error('plus assez de produits de démonstration');
  const variant = await one<{ id: string }>(t.db, "SELECT id FROM variants WHERE product_id = $1 AND status = 'active' ORDER BY position, id LIMIT 1", [row!.id]);
  await exec(t.db, 'UPDATE variants SET stock = CASE WHEN id = $2 THEN $3::int ELSE 0 END WHERE product_id = $1', [row!.id, variant.id, stock]);
  // The answers this test checks are cached before the change (and the setup's own change is through).
  await waitFor(async () => (await getProduct(row!.slug)).variants.find((v) => v.id === variant.id)?.inStock === stock > 0);
  await waitFor(async () => (await listed(row!.slug))?.inStock === stock > 0);
  // The setup's own notification may still be on its way: let it pass, then cache the answers again.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all([getProduct(row!.slug), listed(row!.slug)]);
  revalidations.length = 0;
  return { slug: row!.slug, productId: row!.id, variantId: variant.id };
}

const inStock = async (slug: string, variantId: string) => (await getProduct(slug)).variants.find((v) => v.id === variantId)?.inStock;

/** The storefront was asked to re-render this product's page and the lists, and nothing else. */
function expectStorefrontTold(slug: string): void {
  const tags = revalidations.flatMap((r) => r.tags);
  expect(tags).toContain(`product:${slug}`);
  expect(tags).toContain('lists');
  expect(tags).not.toContain('catalog');
}

/** Buys `quantity` of the variant as a guest paying with the test provider; answers the order id. */
async function buy(variantId: string, quantity = 1): Promise<string> {
  const browser = await openBrowser(t.app);
  await addToCart(browser, variantId, quantity);
  const placed = await postCheckout(browser, crypto.randomUUID(), checkoutBody());
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.order.id as string;
}

describe('what a shopper sees follows the database within 1 s', () => {
  it('the last unit bought: the product and the lists say out of stock, even to readers polling during the purchase', async () => {
    const { slug, variantId } = await productWithStock(1);
    // Eight readers poll the product while it sells; each read records when it started and what it saw.
    const reads: { startedAt: number; inStock: boolean | undefined }[] = [];
    let polling = true;
    const readers = Array.from({ length: 8 }, async () => {
      while (polling) {
        const startedAt = performance.now();
        reads.push({ startedAt, inStock: await inStock(slug, variantId) });
      }
    });
    let committed = 0;
    try {
      const browser = await openBrowser(t.app);
      await addToCart(browser, variantId, 1);
      const placed = await postCheckout(browser, crypto.randomUUID(), checkoutBody());
      // The answer leaves after the commit: a read started later than this plus 1 s must not see stock.
      committed = performance.now();
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      expect(await one(t.db, 'SELECT stock FROM variants WHERE id = $1', [variantId])).toEqual({ stock: 0 });

      expect(await msUntil(committed, async () => (await inStock(slug, variantId)) === false)).toBeLessThan(LIMIT_MS);
      expect(await msUntil(committed, async () => (await listed(slug))?.inStock === false)).toBeLessThan(LIMIT_MS);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      polling = false;
      await Promise.all(readers);
    }
    const lastStale = Math.max(-Infinity, ...reads.filter((read) => read.inStock !== false).map((read) => read.startedAt));
    expect(reads.length).toBeGreaterThan(16);
    expect(lastStale - committed).toBeLessThan(LIMIT_MS);
    expect(reads.at(-1)?.inStock).toBe(false);
    expectStorefrontTold(slug);
  });

  it('a sale that leaves stock changes nothing a shopper sees: the cached answer and its ETag stay', async () => {
    const { slug, variantId } = await productWithStock(5);
    const before = await fetch(`${base}/api/products/${slug}`);
    await buy(variantId, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await fetch(`${base}/api/products/${slug}`);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(revalidations).toEqual([]);
  });

  it('an unpaid order that expires gives its last unit back: in stock again', async () => {
    const { slug, variantId } = await productWithStock(1);
    const orderId = await buy(variantId);
    await waitFor(async () => (await inStock(slug, variantId)) === false);
    revalidations.length = 0;
    await exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [orderId]);
    expect(await createExpireOrdersJob({ db: t.db }).runOnce()).toBeGreaterThanOrEqual(1);
    const started = performance.now();
    expect(await msUntil(started, async () => (await inStock(slug, variantId)) === true)).toBeLessThan(LIMIT_MS);
    expect(await msUntil(started, async () => (await listed(slug))?.inStock === true)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a failed payment gives the unit back: in stock again', async () => {
    const { slug, variantId } = await productWithStock(1);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variantId, 1);
    const placed = await postCheckout(browser, crypto.randomUUID(), checkoutBody());
    expect(placed.status).toBe(201);
    await waitFor(async () => (await inStock(slug, variantId)) === false);
    revalidations.length = 0;
    const failed = await browser.agent
      .post(`/api/payments/test/${placed.body.order.id}/confirm`)
      .set('X-CSRF-Token', browser.csrf)
      .set('Idempotency-Key', crypto.randomUUID())
      .send({ outcome: 'fail' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    const started = performance.now();
    expect(await msUntil(started, async () => (await inStock(slug, variantId)) === true)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a cancelled order (its payment page abandoned) gives the unit back: in stock again', async () => {
    const { slug, variantId } = await productWithStock(1);
    const orderId = await buy(variantId);
    await waitFor(async () => (await inStock(slug, variantId)) === false);
    revalidations.length = 0;
    // What the Stripe webhook for an expired Checkout Session does (payments/events.ts).
    await withTransaction(t.db, (tx) => settleUnpaidOrder(tx, orderId, 'cancelled'));
    const started = performance.now();
    expect(await msUntil(started, async () => (await inStock(slug, variantId)) === true)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('stock put back by hand (a refund with restock, an admin edit, SQL) shows at once', async () => {
    const { slug, variantId } = await productWithStock(0);
    await exec(t.db, 'UPDATE variants SET stock = 3 WHERE id = $1', [variantId]);
    const started = performance.now();
    expect(await msUntil(started, async () => (await inStock(slug, variantId)) === true)).toBeLessThan(LIMIT_MS);
    expect(await msUntil(started, async () => (await listed(slug))?.inStock === true)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a price change shows on the product and in the lists', async () => {
    const { slug, variantId } = await productWithStock(4);
    await exec(t.db, 'UPDATE variants SET price_cents = 1234, compare_at_cents = NULL WHERE id = $1', [variantId]);
    const started = performance.now();
    expect(await msUntil(started, async () => (await getProduct(slug)).variants.find((v) => v.id === variantId)?.priceCents === 1234)).toBeLessThan(LIMIT_MS);
    expect(await msUntil(started, async () => (await listed(slug))?.priceCents === 1234)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a product archived disappears: its page answers 404 and the lists leave it out', async () => {
    const { slug, productId } = await productWithStock(2);
    await exec(t.db, "UPDATE products SET status = 'archived' WHERE id = $1", [productId]);
    const started = performance.now();
    expect(await msUntil(started, async () => (await fetch(`${base}/api/products/${slug}`)).status === 404)).toBeLessThan(LIMIT_MS);
    expect(await msUntil(started, async () => (await listed(slug)) === undefined)).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a new image and a new category link show on the product', async () => {
    const { slug, productId } = await productWithStock(2);
    await exec(t.db, "INSERT INTO product_images (product_id, url, alt, position) VALUES ($1, '/api/media/products/nouvelle.svg', 'Nouvelle photo', 99)", [productId]);
    const started = performance.now();
    expect(await msUntil(started, async () => JSON.stringify(await getProduct(slug)).includes('Nouvelle photo'))).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
    revalidations.length = 0;
    const category = await one<{ id: string; slug: string }>(t.db, 'SELECT id, slug FROM categories WHERE id NOT IN (SELECT category_id FROM product_categories WHERE product_id = $1) LIMIT 1', [productId]);
    await exec(t.db, 'INSERT INTO product_categories (product_id, category_id) VALUES ($1, $2)', [productId, category.id]);
    const linked = performance.now();
    expect(await msUntil(linked, async () => JSON.stringify(await getProduct(slug)).includes(`"slug":"${category.slug}"`))).toBeLessThan(LIMIT_MS);
    expectStorefrontTold(slug);
  });

  it('a renamed category shows in the tree, and the storefront re-renders everything', async () => {
    const category = await one<{ id: string; name: string }>(t.db, "SELECT id, name FROM categories WHERE slug = 'bracelets'");
    const tree = async () => JSON.stringify(await (await fetch(`${base}/api/categories`)).json());
    expect(await tree()).toContain(category.name);
    await exec(t.db, "UPDATE categories SET name = 'Bracelets et joncs' WHERE id = $1", [category.id]);
    const started = performance.now();
    expect(await msUntil(started, async () => (await tree()).includes('Bracelets et joncs'))).toBeLessThan(LIMIT_MS);
    expect(revalidations.flatMap((r) => r.tags)).toContain('catalog');
  });

  it('a seed or an import adds products: the lists count them', async () => {
    const total = async () => ((await (await fetch(`${base}/api/products?limit=1`)).json()) as { total: number }).total;
    const before = await total();
    await seedGeneratedCatalog(t.db, { products: 3, variantsPerProduct: 1 });
    const started = performance.now();
    expect(await msUntil(started, async () => (await total()) === before + 3)).toBeLessThan(LIMIT_MS);
    expect(revalidations.flatMap((r) => r.tags)).toContain('lists');
  });

  it('a migration drops every cache (it may change any answer)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gc-migrations-'));
    try {
      for (const file of await readdir(MIGRATIONS_DIR)) await copyFile(new URL(file, MIGRATIONS_DIR), join(dir, file));
      await writeFile(join(dir, '9999_rename_for_test.sql'), "UPDATE categories SET name = 'Colliers et sautoirs' WHERE slug = 'colliers';");
      await migrate(t.database.directUrl, { dir: pathToFileURL(`${dir}/`) });
      const started = performance.now();
      expect(await msUntil(started, async () => JSON.stringify(await (await fetch(`${base}/api/categories`)).json()).includes('Colliers et sautoirs'))).toBeLessThan(LIMIT_MS);
      expect(revalidations.flatMap((r) => r.tags)).toContain('catalog');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a database restarted or restored under the API: the listener reconnects and drops everything, so changes it never heard show too', async () => {
    const { slug, productId } = await productWithStock(2);
    const admin = new pg.Client({ connectionString: t.database.directUrl });
    await admin.connect();
    try {
      // A change nobody hears (as one restored from a backup), then what a restart does to the listener's session.
      await admin.query('ALTER TABLE products DISABLE TRIGGER products_notify');
      await admin.query("UPDATE products SET title = 'Titre changé pendant la coupure' WHERE id = $1", [productId]);
      await admin.query('ALTER TABLE products ENABLE TRIGGER products_notify');
      expect((await getProduct(slug) as unknown as { title: string }).title).not.toBe('Titre changé pendant la coupure');
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await waitFor(async () => (await getProduct(slug) as unknown as { title: string }).title === 'Titre changé pendant la coupure');
    expect(revalidations.flatMap((r) => r.tags)).toContain('catalog');
  });
});
