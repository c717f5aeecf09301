import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { many } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { signInAdmin, type AdminBrowser } from '../../testing/admin.js';

const SECRET = 'secret-de-revalidation-de-test';
let t: TestApp;
let app: ReturnType<typeof buildApp>;
let storefront: Server;
const revalidations: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
let admin: AdminBrowser;
let uploadsDir: string;

beforeAll(async () => {
  t = await createTestApp();
  uploadsDir = await mkdtemp(join(tmpdir(), 'gc-uploads-'));
  // Stands for the Next.js storefront's POST /revalidate: records each call.
  storefront = createServer((req, res) => {
    revalidations.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"revalidated":true}');
  });
  storefront.listen(0, '127.0.0.1');
  await once(storefront, 'listening');
  const config = { STOREFRONT_INTERNAL_URL: `http://127.0.0.1:${(storefront.address() as AddressInfo).port}`, REVALIDATE_SECRET: SECRET, UPLOADS_DIR: uploadsDir };
  app = buildApp({ db: t.db, cache: t.cache, config });
  admin = await signInAdmin(t, app);
});
afterAll(async () => {
  storefront?.closeAllConnections();
  await new Promise((resolve) => storefront?.close(resolve));
  await t?.close();
  if (uploadsDir) await rm(uploadsDir, { recursive: true, force: true });
});

const send = (method: 'post' | 'patch', path: string, body: object) => admin.agent[method](path).set('X-CSRF-Token', admin.csrf).send(body);
const publicPage = (slug: string) => supertest(app).get(`/api/products/${slug}`);
const audit = async (type: string, id: string) => (await admin.agent.get(`/api/admin/audit?entityType=${type}&entityId=${id}`)).body.items as { action: string; before: unknown; after: unknown }[];

async function newProduct(overrides: object = {}) {
  const slug = uniqueLabel('bracelet').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const res = await send('post', '/api/admin/products', { slug, title: 'Bracelet Perles de Lune', description: 'Perles nacrées, fermoir doré.', ...overrides });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string; status: string };
}

describe('catalogue in the back office', () => {
  it('creates a product with two variants; once active it is on the public product page at once (caches dropped, storefront revalidated)', async () => {
    const product = await newProduct({ seoTitle: 'Bracelet en perles nacrées' });
    expect(product.status).toBe('draft');
    expect((await publicPage(product.slug)).status).toBe(404);
    const sku = uniqueLabel('BR').replace(/[^A-Za-z0-9_-]/g, '');
    for (const [size, price] of [['S', 2490], ['M', 2690]] as const) {
      const variant = await send('post', `/api/admin/products/${product.id}/variants`, {
        sku: `${sku}-${size}`, title: `Taille ${size}`, options: { taille: size }, priceCents: price, compareAtCents: 2990, stock: 4,
      });
      expect(variant.status, JSON.stringify(variant.body)).toBe(201);
    }
    const before = revalidations.length;
    const live = await send('patch', `/api/admin/products/${product.id}`, { status: 'active' });
    expect(live.status).toBe(200);
    const page = await publicPage(product.slug);
    expect(page.status).toBe(200);
    expect(page.body.variants.map((v: { sku: string; priceCents: number }) => [v.sku, v.priceCents])).toEqual([[`${sku}-S`, 2490], [`${sku}-M`, 2690]]);
    expect(revalidations.length).toBeGreaterThan(before);
    expect(revalidations.at(-1)).toMatchObject({ url: '/revalidate', headers: { authorization: `Bearer ${SECRET}` } });

    // A price change shows at once too, although the page was just cached.
    const variantId = live.body.variants[0].id as string;
    expect((await send('patch', `/api/admin/variants/${variantId}`, { priceCents: 2290 })).status).toBe(200);
    expect((await publicPage(product.slug)).body.variants[0].priceCents).toBe(2290);
    // Archived: gone from the storefront.
    expect((await send('patch', `/api/admin/products/${product.id}`, { status: 'archived' })).status).toBe(200);
    expect((await publicPage(product.slug)).status).toBe(404);

    const entries = await audit('product', product.id);
    expect(entries.map((e) => e.action)).toEqual(['product.update', 'product.update', 'product.create']);
    expect(entries[0]).toMatchObject({ before: { status: 'active' }, after: { status: 'archived' } });
    expect((await audit('variant', variantId))[0]).toMatchObject({ action: 'variant.update', before: { priceCents: 2490 }, after: { priceCents: 2290 } });
  });

  it('bad input gives a clear French message and changes nothing: duplicate slug or SKU, negative price, compare-at under the price, unknown category', async () => {
    const product = await newProduct();
    const dup = await send('post', '/api/admin/products', { slug: product.slug, title: 'Autre' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', message: 'Ce slug est déjà utilisé : choisissez-en un autre.' });
    expect((await send('post', '/api/admin/products', { slug: 'Pas Un Slug', title: 'x' })).body.error.details[0].path).toBe('slug');
    const base = { sku: uniqueLabel('SKU').replace(/[^A-Za-z0-9_-]/g, ''), title: 'Unique', priceCents: 1500 };
    const negative = await send('post', `/api/admin/products/${product.id}/variants`, { ...base, priceCents: -100 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.details).toEqual([{ path: 'priceCents', message: 'le prix doit être positif' }]);
    expect((await send('post', `/api/admin/products/${product.id}/variants`, { ...base, compareAtCents: 1000 })).body.error.details[0].message).toBe('le prix barré doit être supérieur au prix');
    expect((await send('post', `/api/admin/products/${product.id}/variants`, { ...base, stock: -1 })).status).toBe(400);
    const created = await send('post', `/api/admin/products/${product.id}/variants`, base);
    expect(created.status).toBe(201);
    const again = await send('post', `/api/admin/products/${product.id}/variants`, base);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/référence \(SKU\) est déjà utilisée/);
    const variantId = created.body.variants[0].id as string;
    const under = await send('patch', `/api/admin/variants/${variantId}`, { compareAtCents: 1500 });
    expect(under.status).toBe(400);
    expect((await send('patch', `/api/admin/products/${product.id}`, { categoryIds: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(400);
    const { body } = await admin.agent.get(`/api/admin/products/${product.id}`);
    expect(body.variants).toHaveLength(1);
    expect(body.variants[0]).toMatchObject({ priceCents: 1500, compareAtCents: null });
    expect(body.categoryIds).toEqual([]);
  });

  it('stock adjustments record their reason; the stock never goes below zero', async () => {
    const product = await newProduct();
    const created = await send('post', `/api/admin/products/${product.id}/variants`, { sku: uniqueLabel('STK').replace(/[^A-Za-z0-9_-]/g, ''), title: 'Unique', priceCents: 1200, stock: 2 });
    const variantId = created.body.variants[0].id as string;
    const added = await send('post', `/api/admin/variants/${variantId}/stock`, { delta: 5, reason: 'Réassort atelier' });
    expect(added.body).toEqual({ stock: 7 });
    const tooMany = await send('post', `/api/admin/variants/${variantId}/stock`, { delta: -8, reason: 'Casse' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toBe('Le stock ne peut pas devenir négatif (stock actuel : 7).');
    expect((await send('post', `/api/admin/variants/${variantId}/stock`, { delta: -1, reason: '' })).status).toBe(400);
    expect((await send('post', `/api/admin/variants/${variantId}/stock`, { delta: -2, reason: 'Casse' })).body).toEqual({ stock: 5 });
    const rows = await many<{ delta: number; reason: string }>(t.db, 'SELECT delta, reason FROM stock_adjustments WHERE variant_id = $1 ORDER BY id', [variantId]);
    expect(rows).toEqual([{ delta: 5, reason: 'Réassort atelier' }, { delta: -2, reason: 'Casse' }]);
    expect((await audit('variant', variantId))[0]).toMatchObject({ action: 'variant.stock', before: { stock: 7 }, after: { stock: 5, reason: 'Casse' } });
  });

  it('categories: create, attach to a product, rename; a duplicate slug is 409', async () => {
    const slug = uniqueLabel('colliers').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const created = await send('post', '/api/admin/categories', { slug, name: 'Colliers' });
    expect(created.status).toBe(201);
    expect((await send('post', '/api/admin/categories', { slug, name: 'Encore' })).status).toBe(409);
    const product = await newProduct({ categoryIds: [created.body.id] });
    expect((await admin.agent.get(`/api/admin/products/${product.id}`)).body.categoryIds).toEqual([created.body.id]);
    const renamed = await send('patch', `/api/admin/categories/${created.body.id}`, { name: 'Colliers et sautoirs' });
    expect(renamed.body).toMatchObject({ name: 'Colliers et sautoirs', slug });
    expect((await admin.agent.get('/api/admin/categories')).body.items.some((c: { id: string }) => c.id === created.body.id)).toBe(true);
    const list = await admin.agent.get(`/api/admin/products?q=${product.slug}`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: product.id }] });
  });
});

describe('product images', () => {
  const upload = (productId: string, bytes: Buffer, type: string, alt = 'Bracelet porté au poignet') =>
    admin.agent.post(`/api/admin/products/${productId}/images?alt=${encodeURIComponent(alt)}`).set('X-CSRF-Token', admin.csrf).set('Content-Type', type).send(bytes);

  it('an uploaded photo is resized to WebP and AVIF under the uploads folder, served by the API and shown on the product page', async () => {
    const product = await newProduct();
    await send('post', `/api/admin/products/${product.id}/variants`, { sku: uniqueLabel('IMG').replace(/[^A-Za-z0-9_-]/g, ''), title: 'Unique', priceCents: 1900, stock: 3 });
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 230, g: 180, b: 200 } } }).jpeg().toBuffer();
    const res = await upload(product.id, photo, 'image/jpeg');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ alt: 'Bracelet porté au poignet', position: 0, url: `/api/uploads/products/${product.id}/${res.body.id}-800.webp` });
    for (const width of [400, 800, 1600]) for (const ext of ['webp', 'avif']) expect(existsSync(join(uploadsDir, 'products', product.id, `${res.body.id}-${width}.${ext}`))).toBe(true);
    const served = await supertest(app).get(res.body.url).buffer(true).responseType('blob');
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(await sharp(served.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 800, height: 600 });
    await send('patch', `/api/admin/products/${product.id}`, { status: 'active' });
    expect((await publicPage(product.slug)).body.images).toEqual([{ url: res.body.url, alt: 'Bracelet porté au poignet', variantId: null }]);
    expect((await audit('product', product.id))[0]).toMatchObject({ action: 'product.update' });
    expect((await audit('product', product.id)).some((e) => e.action === 'image.create')).toBe(true);
  });

  it('refuses a PDF renamed .jpg and a 11 MB file with a French message, and stores nothing', async () => {
    const product = await newProduct();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const fake = await upload(product.id, pdf, 'image/jpeg');
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toBe('Ce fichier n’est pas une image JPEG, PNG, WebP, AVIF ou GIF.');
    const huge = await upload(product.id, Buffer.alloc(11 * 1024 * 1024, 1), 'image/png');
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe('Image trop lourde : 10 Mo au plus.');
    expect((await admin.agent.get(`/api/admin/products/${product.id}`)).body.images).toEqual([]);
    expect(existsSync(join(uploadsDir, 'products', product.id))).toBe(false);
  });

  it('reorders the images and edits their alt text (audited before/after); the public page follows the new order at once', async () => {
    const product = await newProduct();
    await send('post', `/api/admin/products/${product.id}/variants`, { sku: uniqueLabel('ORD').replace(/[^A-Za-z0-9_-]/g, ''), title: 'Unique', priceCents: 1900, stock: 3 });
    const ids: string[] = [];
    for (const [alt, r] of [['Face', 250], ['Profil', 120], ['Détail du fermoir', 40]] as const) {
      const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 100, b: 150 } } }).png().toBuffer();
      ids.push((await upload(product.id, photo, 'image/png', alt)).body.id as string);
    }
    await send('patch', `/api/admin/products/${product.id}`, { status: 'active' });
    const altsOnPage = async () => ((await publicPage(product.slug)).body.images as { alt: string }[]).map((image) => image.alt);
    expect(await altsOnPage()).toEqual(['Face', 'Profil', 'Détail du fermoir']);

    const reordered = await admin.agent.put(`/api/admin/products/${product.id}/images/order`).set('X-CSRF-Token', admin.csrf).send({ imageIds: [ids[2], ids[0], ids[1]] });
    expect(reordered.status, JSON.stringify(reordered.body)).toBe(200);
    expect(reordered.body.images.map((image: { id: string; position: number }) => [image.id, image.position])).toEqual([[ids[2], 0], [ids[0], 1], [ids[1], 2]]);
    expect(await altsOnPage()).toEqual(['Détail du fermoir', 'Face', 'Profil']);

    const renamed = await send('patch', `/api/admin/images/${ids[1]}`, { alt: '  Bracelet vu de profil  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.images[2]).toMatchObject({ id: ids[1], alt: 'Bracelet vu de profil' });
    expect(await altsOnPage()).toEqual(['Détail du fermoir', 'Face', 'Bracelet vu de profil']);

    const entries = await audit('product', product.id);
    expect(entries[0]).toMatchObject({ action: 'image.update', before: { id: ids[1], alt: 'Profil' }, after: { id: ids[1], alt: 'Bracelet vu de profil' } });
    expect(entries[1]).toMatchObject({ action: 'image.reorder', before: { imageIds: ids }, after: { imageIds: [ids[2], ids[0], ids[1]] } });
  });

  it('a reorder that leaves out, repeats or borrows an image, or an alt text too long, is refused in French and changes nothing', async () => {
    const product = await newProduct();
    const other = await newProduct();
    const photo = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toBuffer();
    const [a, b] = [(await upload(product.id, photo, 'image/png', 'A')).body.id as string, (await upload(product.id, photo, 'image/png', 'B')).body.id as string];
    const foreign = (await upload(other.id, photo, 'image/png', 'Autre')).body.id as string;
    const order = (imageIds: unknown) => admin.agent.put(`/api/admin/products/${product.id}/images/order`).set('X-CSRF-Token', admin.csrf).send({ imageIds });

    const missing = await order([b]);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('L’ordre doit citer chaque image du produit une seule fois : rechargez la page et recommencez.');
    expect((await order([b, foreign])).status).toBe(400);
    const repeated = await order([b, b]);
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.details).toEqual([{ path: 'imageIds', message: 'chaque image une seule fois' }]);
    expect((await order('pas une liste')).body.error.details[0]).toEqual({ path: 'imageIds', message: 'liste d’images attendue' });
    const long = await send('patch', `/api/admin/images/${a}`, { alt: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([{ path: 'alt', message: '200 caractères au plus' }]);
    expect((await send('patch', '/api/admin/images/00000000-0000-4000-8000-000000000000', { alt: 'x' })).status).toBe(404);

    const { body } = await admin.agent.get(`/api/admin/products/${product.id}`);
    expect(body.images.map((image: { id: string; alt: string }) => [image.id, image.alt])).toEqual([[a, 'A'], [b, 'B']]);
    expect((await audit('product', product.id)).some((e) => e.action.startsWith('image.') && e.action !== 'image.create')).toBe(false);
  });
});
