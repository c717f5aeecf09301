import { createEmptyDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, many, one, type Pool } from './index.js';
import { migrate } from './migrate.js';
import { seedDemoCatalog, seedGeneratedCatalog, seedOrders, slugify } from './seed.js';
import { renderProductSvg } from './seed/svg.js';

// An empty database rather than a template clone: the template is already seeded.
let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
let pool: Pool;

type Counts = { products: number; active: number; variants: number; images: number; media: number; categories: number };

async function counts(): Promise<Counts> {
  return one<Counts>(
    pool,
    `SELECT (SELECT count(*)::int FROM products) AS products,
            (SELECT count(*)::int FROM products WHERE status = 'active') AS active,
            (SELECT count(*)::int FROM variants) AS variants,
            (SELECT count(*)::int FROM product_images) AS images,
            (SELECT count(*)::int FROM media) AS media,
            (SELECT count(*)::int FROM categories) AS categories`,
  );
}

beforeAll(async () => {
  database = await createEmptyDatabase(inject('testDb'));
  await migrate(database.url);
  pool = createPool({ url: database.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('slugify and the SVG renderer', () => {
  it('turns French titles into lowercase ascii kebab-case slugs', () => {
    expect(slugify('Chouchou en velours rose poudré')).toBe('chouchou-en-velours-rose-poudre');
    expect(slugify('Boucles d’oreilles « Cœur » & perles')).toBe('boucles-d-oreilles-coeur-perles');
  });

  it('draws a picture without any text, the same every time, and different for two products of one kind or two colours', () => {
    const spec = { kind: 'trousse', colour: 'Rose', index: 2, seed: 'trousse-matelassee-vichy-rose' } as const;
    const svg = renderProductSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/<text|<title/);
    expect(svg).toBe(renderProductSvg(spec));
    expect(renderProductSvg({ ...spec, seed: 'trousse-de-toilette-impermeable' })).not.toBe(svg);
    expect(renderProductSvg({ ...spec, colour: 'Menthe' })).not.toBe(svg);
  });
});

describe('seedDemoCatalog', () => {
  it('on an empty database inserts 40 active products with variants, images and SVG media, plus one draft and one archived', async () => {
    const lines: string[] = [];
    const summary = await seedDemoCatalog(pool, { onProgress: (line) => lines.push(line) });
    const after = await counts();

    expect(summary).toMatchObject({ skipped: false, categories: 10, products: 42 });
    expect(after).toMatchObject({ products: 42, active: 40, categories: 10, variants: summary.variants, images: summary.images });
    expect(after.media).toBe(after.images);
    expect(lines.length).toBeGreaterThan(0);

    const statuses = await many<{ status: string; n: number }>(pool, 'SELECT status, count(*)::int AS n FROM products GROUP BY status ORDER BY status');
    expect(statuses).toEqual([
      { status: 'active', n: 40 },
      { status: 'archived', n: 1 },
      { status: 'draft', n: 1 },
    ]);

    const perProduct = await many<{ variants: number; images: number }>(
      pool,
      `SELECT (SELECT count(*)::int FROM variants v WHERE v.product_id = p.id) AS variants,
              (SELECT count(*)::int FROM product_images i WHERE i.product_id = p.id) AS images
       FROM products p`,
    );
    for (const row of perProduct) {
      expect(row.variants).toBeGreaterThanOrEqual(1);
      expect(row.variants).toBeLessThanOrEqual(3);
      expect(row.images).toBeGreaterThanOrEqual(row.variants);
      expect(row.images).toBeLessThanOrEqual(3 * row.variants);
    }
    // Every variant has its own pictures, and no two pictures are the same drawing.
    const pictures = await one<{ variants_without: number; unlinked: number; distinct_bodies: number; media: number }>(
      pool,
      `SELECT (SELECT count(*)::int FROM variants v WHERE NOT EXISTS (SELECT 1 FROM product_images i WHERE i.variant_id = v.id)) AS variants_without,
              (SELECT count(*)::int FROM product_images WHERE variant_id IS NULL) AS unlinked,
              (SELECT count(DISTINCT md5(body))::int FROM media) AS distinct_bodies,
              (SELECT count(*)::int FROM media) AS media`,
    );
    expect(pictures).toMatchObject({ variants_without: 0, unlinked: 0, distinct_bodies: pictures.media });

    const media = await many<{ head: string; content_type: string; linked: boolean }>(
      pool,
      `SELECT convert_from(substring(m.body from 1 for 4), 'UTF8') AS head, m.content_type,
              EXISTS (SELECT 1 FROM product_images i WHERE i.url = '/api/media/' || m.path) AS linked
       FROM media m`,
    );
    expect(media.every((m) => m.head === '<svg' && m.content_type === 'image/svg+xml' && m.linked)).toBe(true);
  });

  it('files at least five active "Bracelet" products under the bracelets category, findable by search', async () => {
    const { n } = await one<{ n: number }>(
      pool,
      `SELECT count(*)::int AS n FROM products p
       JOIN product_categories pc ON pc.product_id = p.id
       JOIN categories c ON c.id = pc.category_id AND c.slug = 'bracelets'
       WHERE p.status = 'active' AND p.title LIKE '%Bracelet%'
         AND p.search_vector @@ plainto_tsquery('french_unaccent', 'bracelet')`,
    );
    expect(n).toBeGreaterThanOrEqual(5);
  });

  it('gives every product a distinct created_at and leaves exactly two active products fully out of stock', async () => {
    const { distinct, total } = await one<{ distinct: number; total: number }>(
      pool,
      'SELECT count(DISTINCT created_at)::int AS distinct, count(*)::int AS total FROM products',
    );
    expect(distinct).toBe(total);
    const soldOut = await many<{ title: string }>(
      pool,
      `SELECT p.title FROM products p WHERE p.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.stock > 0)`,
    );
    expect(soldOut).toHaveLength(2);
  });

  it('when products already exist, a second call is skipped and changes no counts', async () => {
    const before = await counts();
    const summary = await seedDemoCatalog(pool);
    expect(summary).toEqual({ categories: 0, products: 0, variants: 0, images: 0, skipped: true });
    expect(await counts()).toEqual(before);
  });
});

describe('seedGeneratedCatalog', () => {
  it('on top of the demo catalog adds exactly 300 products × 3 variants with unique slugs and skus', async () => {
    const before = await counts();
    const lines: string[] = [];
    const summary = await seedGeneratedCatalog(pool, { products: 300, variantsPerProduct: 3, onProgress: (l) => lines.push(l) });
    const after = await counts();

    expect(summary).toMatchObject({ skipped: false, categories: 0, products: 300, variants: 900 });
    expect(after.products - before.products).toBe(300);
    expect(after.variants - before.variants).toBe(900);
    expect(after.images - before.images).toBe(summary.images);
    expect(after.categories).toBe(before.categories);
    expect(lines).toContain('produits 200/300');
    expect(lines).toContain('produits 300/300');
  });

  it('run a second time still creates unique slugs and skus, every product linked to one category', async () => {
    await seedGeneratedCatalog(pool, { products: 50, variantsPerProduct: 2 });
    const row = await one<{ slugs: number; distinct_slugs: number; skus: number; distinct_skus: number; unlinked: number }>(
      pool,
      `SELECT (SELECT count(*)::int FROM products) AS slugs,
              (SELECT count(DISTINCT slug)::int FROM products) AS distinct_slugs,
              (SELECT count(*)::int FROM variants) AS skus,
              (SELECT count(DISTINCT sku)::int FROM variants) AS distinct_skus,
              (SELECT count(*)::int FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id)) AS unlinked`,
    );
    expect(row.slugs).toBe(42 + 300 + 50);
    expect(row.distinct_slugs).toBe(row.slugs);
    expect(row.distinct_skus).toBe(row.skus);
    expect(row.unlinked).toBe(0);
  });

  it('stores only integer prices in cents between 4.90 € and 49.90 €, compare-at prices above them', async () => {
    const prices = await many<{ price: number; compare: number | null }>(
      pool,
      'SELECT price_cents AS price, compare_at_cents AS compare FROM variants',
    );
    expect(prices.length).toBeGreaterThan(0);
    for (const { price, compare } of prices) {
      expect(Number.isInteger(price)).toBe(true);
      expect(price).toBeGreaterThanOrEqual(490);
      expect(price).toBeLessThanOrEqual(4990);
      if (compare !== null) expect(compare).toBeGreaterThan(price);
    }
    expect(prices.some((p) => p.compare !== null)).toBe(true);
  });

  it('rejects a non-integer or zero product count before touching the database', async () => {
    await expect(seedGeneratedCatalog(pool, { products: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(seedGeneratedCatalog(pool, { products: 2.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(seedGeneratedCatalog(pool, { products: 1, variantsPerProduct: 99 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('seedOrders', () => {
  it('adds exactly N paid orders whose lines, VAT and totals add up, numbered from the order sequence', async () => {
    const before = await one<{ n: number }>(pool, 'SELECT count(*)::int AS n FROM orders');
    const lines: string[] = [];
    expect(await seedOrders(pool, { orders: 1200, onProgress: (line) => lines.push(line) })).toBe(1200);
    const after = await one<{ n: number; paid: number; numbered: number; unbalanced: number; vat_off: number }>(
      pool,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'paid' AND paid_at IS NOT NULL)::int AS paid,
              count(*) FILTER (WHERE number ~ '^GC-[0-9]{6,}$')::int AS numbered,
              count(*) FILTER (WHERE subtotal_cents <> (SELECT sum(line_total_cents) FROM order_lines l WHERE l.order_id = o.id))::int AS unbalanced,
              count(*) FILTER (WHERE vat_cents <> (SELECT sum(vat_cents) FROM order_lines l WHERE l.order_id = o.id) + round(shipping_cents * 20 / 120.0))::int AS vat_off
       FROM orders o`,
    );
    expect(after.n - before.n).toBe(1200);
    expect(after).toMatchObject({ paid: after.n, numbered: after.n, unbalanced: 0, vat_off: 0 });
    expect(lines.at(-1)).toBe('commandes 1200/1200');
  });
});
