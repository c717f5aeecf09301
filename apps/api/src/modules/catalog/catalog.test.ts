import { exec } from '@girlycrea/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing.js';
import { invalidateCatalog } from './service.js';
import { createResponseCache } from '@girlycrea/cache';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

interface ListBody {
  items: { slug: string; title: string; priceCents: number; compareAtCents?: number; currency: string; image: string | null; inStock: boolean }[];
  page: number;
  limit: number;
  total: number;
}

describe('GET /api/categories', () => {
  it('answers the category tree with children under their parent', async () => {
    const res = await t.http.get('/api/categories');
    expect(res.status).toBe(200);
    const bijoux = res.body.find((c: { slug: string }) => c.slug === 'bijoux');
    expect(bijoux.children.map((c: { slug: string }) => c.slug)).toContain('bracelets');
    expect(res.body.some((c: { slug: string }) => c.slug === 'bracelets')).toBe(false);
  });
});

describe('GET /api/products', () => {
  it('lists active products newest first with integer prices in cents and pagination', async () => {
    const res = await t.http.get('/api/products?limit=5');
    expect(res.status).toBe(200);
    const body = res.body as ListBody;
    expect(body.page).toBe(1);
    expect(body.limit).toBe(5);
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThanOrEqual(35);
    for (const item of body.items) {
      expect(Number.isInteger(item.priceCents)).toBe(true);
      expect(item.currency).toBe('EUR');
      expect(item.image).toMatch(/^\/api\/media\/products\/.+\.svg$/);
    }
    const page2 = (await t.http.get('/api/products?limit=5&page=2')).body as ListBody;
    expect(page2.items.map((i) => i.slug)).not.toEqual(body.items.map((i) => i.slug));
    expect(page2.total).toBe(body.total);
  });

  it('hides draft and archived products', async () => {
    const { rows } = await t.db.query<{ slug: string }>("SELECT slug FROM products WHERE status <> 'active'");
    expect(rows.length).toBeGreaterThan(0);
    const all = (await t.http.get('/api/products?limit=100')).body as ListBody;
    const slugs = all.items.map((i) => i.slug);
    for (const row of rows) {
      expect(slugs).not.toContain(row.slug);
      expect((await t.http.get(`/api/products/${row.slug}`)).status).toBe(404);
    }
  });

  it('sorts by price both ways', async () => {
    const asc = ((await t.http.get('/api/products?sort=price_asc&limit=100')).body as ListBody).items.map((i) => i.priceCents);
    const desc = ((await t.http.get('/api/products?sort=price_desc&limit=100')).body as ListBody).items.map((i) => i.priceCents);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(desc).toEqual([...asc].sort((a, b) => b - a));
  });

  it('filters by category including its subcategories, and 404s an unknown category', async () => {
    const bracelets = (await t.http.get('/api/products?category=bracelets&limit=100')).body as ListBody;
    expect(bracelets.total).toBeGreaterThanOrEqual(5);
    expect(bracelets.items.every((i) => /bracelet/i.test(i.title))).toBe(true);
    const bijoux = (await t.http.get('/api/products?category=bijoux&limit=100')).body as ListBody;
    expect(bijoux.total).toBeGreaterThan(bracelets.total);
    const unknown = await t.http.get('/api/products?category=nexiste-pas');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('returns an empty page, with the real total, past the last page', async () => {
    const res = await t.http.get('/api/products?page=500&limit=100');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.total).toBeGreaterThan(0);
  });

  it.each(['braclet', 'bracelét', 'bracelets', 'BRACELET', 'bracelets dorés'])(
    'search q=%s forgives accents, plurals and typos and finds the bracelets',
    async (q) => {
      const res = await t.http.get('/api/products').query({ q, limit: 100 });
      expect(res.status).toBe(200);
      const titles = (res.body as ListBody).items.map((i) => i.title);
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.filter((title) => /bracelet/i.test(title)).length).toBe(titles.length);
    },
  );

  it('search for something the shop does not sell finds nothing', async () => {
    const res = await t.http.get('/api/products').query({ q: 'tronçonneuse' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });

  it.each([
    ['limit=1000', 'limit'],
    ['limit=0', 'limit'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1&page=2', 'page'],
    ['sort=1;drop table products', 'sort'],
    [`q=${'a'.repeat(10_000)}`, 'q'],
    ['category=../../etc', 'category'],
  ])('rejects %s with 400 invalid_request naming the field', async (query, field) => {
    const res = await t.http.get(`/api/products?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('search input with SQL or tsquery syntax is treated as text', async () => {
    for (const q of ["' OR 1=1 --", 'a & | ! ( ) :*', '%_\\', '\u0000']) {
      const res = await t.http.get('/api/products').query({ q });
      expect([200, 400]).toContain(res.status);
    }
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM products');
    expect(rows[0].n).toBeGreaterThan(0);
  });
});

describe('GET /api/products/:slug', () => {
  it('answers the product with variants, images and categories', async () => {
    const list = (await t.http.get('/api/products?category=bracelets&limit=1')).body as ListBody;
    const slug = list.items[0]!.slug;
    const res = await t.http.get(`/api/products/${slug}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug, currency: 'EUR' });
    expect(res.body.variants.length).toBeGreaterThan(0);
    for (const variant of res.body.variants) {
      expect(Number.isInteger(variant.priceCents)).toBe(true);
      expect(typeof variant.inStock).toBe('boolean');
      expect(variant).not.toHaveProperty('stock');
    }
    expect(res.body.images[0]).toMatchObject({ url: expect.stringMatching(/\.svg$/), alt: expect.any(String) });
    // Every variant has its own pictures: the gallery follows the chosen one.
    for (const variant of res.body.variants) {
      expect(res.body.images.filter((image: { variantId: string | null }) => image.variantId === variant.id).length).toBeGreaterThan(0);
    }
    expect(res.body.categories.map((c: { slug: string }) => c.slug)).toContain('bracelets');
  });

  it('404s an unknown product and 400s a malformed slug', async () => {
    const missing = await t.http.get('/api/products/produit-inconnu');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const bad = await t.http.get('/api/products/Pas%20Un%20Slug');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });

  it('serves the product image as SVG that cannot run script', async () => {
    const list = (await t.http.get('/api/products?limit=1')).body as ListBody;
    const res = await t.http.get(list.items[0]!.image!).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body.toString()).toMatch(/^<svg/);
    expect((await t.http.get('/api/media/products/absente.svg')).status).toBe(404);
  });
});

describe('HTTP caching', () => {
  it('sends an ETag and Cache-Control: no-cache (ask before reuse, stock changes at once), and 304 when the client has the same version', async () => {
    const first = await t.http.get('/api/products?limit=3');
    expect(first.headers.etag).toMatch(/^"/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const again = await t.http.get('/api/products?limit=3').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('serves later reads from Redis, and a product change is visible after invalidation', async () => {
    const url = '/api/products?category=bracelets&sort=price_asc&limit=1';
    const before = await t.http.get(url);
    const slug = before.body.items[0].slug as string;
    await exec(t.db, "UPDATE products SET title = 'Bracelet renommé' WHERE slug = $1", [slug]);
    const cached = await t.http.get(url);
    expect(cached.body.items[0].title).toBe(before.body.items[0].title);
    // What the catalog listener does for this change (freshness.test.ts covers the listener itself).
    await invalidateCatalog({ responseCache: createResponseCache(t.cache) }, { all: false, slugs: new Set([slug]) });
    const fresh = await t.http.get(url);
    expect(fresh.body.items[0].title).toBe('Bracelet renommé');
    expect(fresh.headers.etag).not.toBe(before.headers.etag);
  });
});

describe('errors', () => {
  it('answers JSON 404 for unknown routes and 400 for malformed JSON bodies', async () => {
    const unknown = await t.http.get('/api/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await t.http.post('/api/products').set('Content-Type', 'application/json').send('{"a":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
  });

  it('keeps an incoming request id and makes one otherwise', async () => {
    expect((await t.http.get('/api/categories').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await t.http.get('/api/categories').set('X-Request-Id', 'bad id\u00e9')).headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  });
});

describe('GET /api/openapi.json', () => {
  it('documents the catalog routes from the validating schemas', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/products', '/api/products/{slug}', '/api/categories', '/api/health']));
    const limit = res.body.paths['/api/products'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema.maximum).toBe(100);
  });
});
