import { exec, many, one, withTransaction, type Pool, type Tx } from './index.js';
import {
  DEMO_CATEGORIES,
  DEMO_PRODUCTS,
  GENERATED_COLOURS,
  GENERATED_SENTENCES,
  GENERATED_TYPES,
  SKU_CODES,
} from './seed/demo-catalog.js';
import { renderProductSvg, type ProductKind } from './seed/svg.js';

/** What a seed run inserted; `skipped` is true when the catalog already had products. */
export type SeedSummary = { categories: number; products: number; variants: number; images: number; skipped: boolean };

/** Options shared by both seeders. */
export interface SeedOptions {
  /** Receives one human-readable line per step (e.g. "produits 400/1000"). */
  onProgress?: (line: string) => void;
}

/** Options of the benchmark seeder. */
export interface GeneratedSeedOptions extends SeedOptions {
  products: number;
  /** Between 1 and `MAX_GENERATED_VARIANTS`; defaults to 3. */
  variantsPerProduct?: number;
}

/** Upper bound of `variantsPerProduct`: each variant of a generated product needs a distinct colour. */
export const MAX_GENERATED_VARIANTS = GENERATED_COLOURS.length;

const BATCH_SIZE = 200;
// Generated products sort after the demo ones in "newest first", whatever their number.
const GENERATED_MINUTES_OFFSET = 10_000;

interface VariantRow {
  sku: string;
  title: string;
  options: Record<string, string>;
  priceCents: number;
  compareAtCents: number | null;
  stock: number;
}

interface ProductRow {
  slug: string;
  title: string;
  description: string;
  status: 'active' | 'draft' | 'archived';
  categorySlug: string;
  minutesAgo: number;
  kind: ProductKind;
  imageCount: number;
  variants: VariantRow[];
}

/** Turns a French title into a lowercase ASCII kebab-case slug ("Chouchou éclat" -> "chouchou-eclat"). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// mulberry32: tiny, fast and good enough for plausible demo data that must be identical on every run.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function skuSuffix(option: string): string {
  return slugify(option).toUpperCase();
}

/** Creates the demo category tree where missing (matched by slug) and returns every category id by slug. */
async function upsertCategories(tx: Tx): Promise<{ ids: Map<string, string>; created: number }> {
  let created = 0;
  // Parents first: a child's parent must be visible to the statement that inserts it.
  for (const level of [DEMO_CATEGORIES.filter((c) => !c.parent), DEMO_CATEGORIES.filter((c) => c.parent)]) {
    created += await exec(
      tx,
      `INSERT INTO categories (slug, name, position, parent_id)
       SELECT u.slug, u.name, u.position, (SELECT p.id FROM categories p WHERE p.slug = u.parent)
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS u(slug, name, position, parent)
       ON CONFLICT (slug) DO NOTHING`,
      [level.map((c) => c.slug), level.map((c) => c.name), level.map((c) => c.position), level.map((c) => c.parent ?? null)],
    );
  }
  const rows = await many<{ id: string; slug: string }>(tx, 'SELECT id, slug FROM categories WHERE slug = ANY($1::text[])', [
    DEMO_CATEGORIES.map((c) => c.slug),
  ]);
  return { ids: new Map(rows.map((r) => [r.slug, r.id])), created };
}

/** Inserts products with their category link, variants, images and SVG media in a few multi-row statements. */
async function insertProducts(tx: Tx, rows: ProductRow[], categoryIds: Map<string, string>): Promise<{ variants: number; images: number }> {
  const inserted = await many<{ id: string; slug: string }>(
    tx,
    `INSERT INTO products (slug, title, description, status, created_at, updated_at)
     SELECT u.slug, u.title, u.description, u.status, u.at, u.at
     FROM (SELECT s.*, now() - make_interval(mins => s.minutes_ago) AS at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS s(slug, title, description, status, minutes_ago)) AS u
     RETURNING id, slug`,
    [rows.map((r) => r.slug), rows.map((r) => r.title), rows.map((r) => r.description), rows.map((r) => r.status), rows.map((r) => r.minutesAgo)],
  );
  const productIds = new Map(inserted.map((r) => [r.slug, r.id]));
  const idOf = (row: ProductRow): string => {
    const id = productIds.get(row.slug);
    if (!id) throw new Error(`produit non inséré : ${row.slug}`);
    return id;
  };
  const categoryOf = (row: ProductRow): string => {
    const id = categoryIds.get(row.categorySlug);
    if (!id) throw new Error(`catégorie inconnue : ${row.categorySlug}`);
    return id;
  };

  await exec(tx, 'INSERT INTO product_categories (product_id, category_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])', [
    rows.map(idOf),
    rows.map(categoryOf),
  ]);

  const variants = rows.flatMap((row) => row.variants.map((variant, position) => ({ productId: idOf(row), position, ...variant })));
  await exec(
    tx,
    `INSERT INTO variants (product_id, sku, title, options, price_cents, compare_at_cents, stock, position)
     SELECT u.product_id, u.sku, u.title, u.options::jsonb, u.price_cents, u.compare_at_cents, u.stock, u.position
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
       AS u(product_id, sku, title, options, price_cents, compare_at_cents, stock, position)`,
    [
      variants.map((v) => v.productId),
      variants.map((v) => v.sku),
      variants.map((v) => v.title),
      variants.map((v) => JSON.stringify(v.options)),
      variants.map((v) => v.priceCents),
      variants.map((v) => v.compareAtCents),
      variants.map((v) => v.stock),
      variants.map((v) => v.position),
    ],
  );

  // Each variant gets its own pictures (its colour), `imageCount` views of it: the gallery follows the chosen variant.
  const variantIds = await many<{ id: string; sku: string }>(tx, 'SELECT id, sku FROM variants WHERE sku = ANY($1::text[])', [variants.map((v) => v.sku)]);
  const variantIdOf = new Map(variantIds.map((v) => [v.sku, v.id]));
  const images = rows.flatMap((row) =>
    row.variants.flatMap((variant, v) =>
      Array.from({ length: row.imageCount }, (_, i) => {
        const [optionName, optionValue] = Object.entries(variant.options)[0] ?? ['Couleur', variant.title];
        const path = `products/${row.slug}-${slugify(variant.title)}-${i + 1}.svg`;
        const view = ['', ' — vue de près', ' — mise en scène'][i % 3];
        return {
          productId: idOf(row),
          variantId: variantIdOf.get(variant.sku) ?? null,
          path,
          url: `/api/media/${path}`,
          alt: `${row.title}, ${optionName === 'Couleur' ? 'coloris' : optionName.toLowerCase()} ${optionValue.toLowerCase()}${view}`,
          position: v * row.imageCount + i,
          svg: renderProductSvg({ kind: row.kind, colour: optionValue, index: i + 1, seed: row.slug }),
        };
      }),
    ),
  );
  // A media row can outlive its product (deleted by hand); re-seeding then refreshes the drawing instead of failing.
  await exec(
    tx,
    `INSERT INTO media (path, content_type, body)
     SELECT u.path, 'image/svg+xml', convert_to(u.svg, 'UTF8') FROM unnest($1::text[], $2::text[]) AS u(path, svg)
     ON CONFLICT (path) DO UPDATE SET content_type = EXCLUDED.content_type, body = EXCLUDED.body, created_at = now()`,
    [images.map((i) => i.path), images.map((i) => i.svg)],
  );
  await exec(
    tx,
    `INSERT INTO product_images (product_id, variant_id, url, alt, position)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[])`,
    [images.map((i) => i.productId), images.map((i) => i.variantId), images.map((i) => i.url), images.map((i) => i.alt), images.map((i) => i.position)],
  );
  return { variants: variants.length, images: images.length };
}

function buildDemoRows(): ProductRow[] {
  const random = createRandom(20_240_601);
  const perKind = new Map<ProductKind, number>();
  return DEMO_PRODUCTS.map((def, index) => {
    const number = (perKind.get(def.kind) ?? 0) + 1;
    perKind.set(def.kind, number);
    const code = `GC-${SKU_CODES[def.kind]}-${String(number).padStart(3, '0')}`;
    return {
      slug: slugify(def.title),
      title: def.title,
      description: def.description,
      status: def.status ?? 'active',
      categorySlug: def.category,
      minutesAgo: index * 60,
      kind: def.kind,
      imageCount: randomInt(random, 1, 3),
      variants: def.options.map((option, position) => ({
        sku: `${code}-${skuSuffix(option)}`,
        title: option,
        options: { [def.optionName ?? 'Couleur']: option },
        priceCents: def.priceCents,
        compareAtCents: def.compareAtCents ?? null,
        // Only the products marked sold out may end up with no stock at all.
        stock: def.isSoldOut ? 0 : randomInt(random, position === 0 ? 1 : 0, 25),
      })),
    };
  });
}

function buildGeneratedRow(number: number, variantCount: number): ProductRow {
  const random = createRandom(Math.imul(number, 2_654_435_761));
  const type = pick(random, GENERATED_TYPES);
  const colourIndex = randomInt(random, 0, GENERATED_COLOURS.length - 1);
  const colours = Array.from({ length: variantCount }, (_, i) => GENERATED_COLOURS[(colourIndex + i) % GENERATED_COLOURS.length] ?? 'rose');
  const title = `${type.noun} ${pick(random, type.materials)} ${colours[0]}`;
  const priceCents = Math.round(randomInt(random, type.minCents, type.maxCents) / 100) * 100 - 10;
  const compareAtCents = random() < 0.15 ? priceCents + randomInt(random, 3, 10) * 100 : null;
  const first = pick(random, GENERATED_SENTENCES);
  const second = pick(random, GENERATED_SENTENCES.filter((s) => s !== first));
  const code = `GC-${SKU_CODES[type.kind]}-${String(number).padStart(6, '0')}`;
  return {
    // The number keeps slugs unique across runs and apart from the demo slugs, which never end in digits.
    slug: `${slugify(title)}-${number}`,
    title,
    description: `${title}, fait main dans notre atelier. ${first} ${second}`,
    status: 'active',
    categorySlug: type.category,
    minutesAgo: GENERATED_MINUTES_OFFSET + number,
    kind: type.kind,
    // One picture per variant keeps a million-product seed fast.
    imageCount: 1,
    variants: colours.map((colour) => ({
      sku: `${code}-${skuSuffix(colour)}`,
      title: capitalize(colour),
      options: { Couleur: capitalize(colour) },
      priceCents,
      compareAtCents,
      stock: randomInt(random, 100, 1000),
    })),
  };
}

/** Inserts the French demo catalog in one transaction; does nothing (skipped) when any product exists. */
export async function seedDemoCatalog(pool: Pool, options: SeedOptions = {}): Promise<SeedSummary> {
  const progress = options.onProgress ?? (() => {});
  return withTransaction(pool, async (tx) => {
    // Two seeders started together (CI, two terminals) must not both see an empty table.
    await exec(tx, `SELECT pg_advisory_xact_lock(hashtext('girlycrea:seed'))`);
    const { has } = await one<{ has: boolean }>(tx, 'SELECT EXISTS (SELECT 1 FROM products) AS has');
    if (has) {
      progress('catalogue déjà présent : rien à faire');
      return { categories: 0, products: 0, variants: 0, images: 0, skipped: true };
    }
    const { ids, created } = await upsertCategories(tx);
    progress(`catégories ${created}/${DEMO_CATEGORIES.length}`);
    const rows = buildDemoRows();
    const counts = await insertProducts(tx, rows, ids);
    progress(`produits ${rows.length}/${rows.length}`);
    return { categories: created, products: rows.length, skipped: false, ...counts };
  });
}

/** Adds `products` generated products (benchmarks), 200 per transaction, with slugs and skus unique on any existing catalog. */
export async function seedGeneratedCatalog(pool: Pool, options: GeneratedSeedOptions): Promise<SeedSummary> {
  const { products, variantsPerProduct = 3 } = options;
  const progress = options.onProgress ?? (() => {});
  if (!Number.isInteger(products) || products < 1) throw new RangeError(`products doit être un entier ≥ 1 (reçu ${products})`);
  if (!Number.isInteger(variantsPerProduct) || variantsPerProduct < 1 || variantsPerProduct > MAX_GENERATED_VARIANTS) {
    throw new RangeError(`variantsPerProduct doit être un entier entre 1 et ${MAX_GENERATED_VARIANTS} (reçu ${variantsPerProduct})`);
  }
  const { ids, created } = await withTransaction(pool, (tx) => upsertCategories(tx));
  progress(`catégories ${created}/${DEMO_CATEGORIES.length}`);
  // Numbering continues after the highest generated sku, so a second run never collides with the first.
  const { last } = await one<{ last: number }>(
    pool,
    `SELECT coalesce(max((regexp_match(sku, '^GC-[A-Z]+-([0-9]{6,})-'))[1]::int), 0) AS last FROM variants`,
  );
  const summary: SeedSummary = { categories: created, products: 0, variants: 0, images: 0, skipped: false };
  for (let done = 0; done < products; ) {
    const size = Math.min(BATCH_SIZE, products - done);
    const rows = Array.from({ length: size }, (_, i) => buildGeneratedRow(last + done + i + 1, variantsPerProduct));
    const counts = await withTransaction(pool, (tx) => insertProducts(tx, rows, ids));
    done += size;
    summary.products += size;
    summary.variants += counts.variants;
    summary.images += counts.images;
    progress(`produits ${done}/${products}`);
  }
  return summary;
}

export { createOrderWriter, seedOrders, type OrderWriter } from './seed/orders.js';
