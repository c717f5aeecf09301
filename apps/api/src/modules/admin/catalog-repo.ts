import { exec, many, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { CategoryInput, CategoryPatch, ProductInput, ProductPatch, VariantInput, VariantPatch } from './catalog-schema.js';

/** A product with its variants, images and category ids aggregated as JSON. */
export interface ProductRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: 'draft' | 'active' | 'archived';
  seo_title: string | null;
  seo_description: string | null;
  category_ids: string[];
  variants: {
    id: string;
    sku: string;
    title: string;
    options: Record<string, string>;
    price_cents: number;
    compare_at_cents: number | null;
    stock: number;
    low_stock_threshold: number;
    status: 'active' | 'archived';
  }[];
  images: { id: string; url: string; alt: string; position: number }[];
  updated_at: Date;
}

const PRODUCT = `p.id, p.slug, p.title, p.description, p.status, p.seo_title, p.seo_description, p.updated_at,
  coalesce((SELECT array_agg(pc.category_id ORDER BY pc.category_id) FROM product_categories pc WHERE pc.product_id = p.id), '{}') AS category_ids,
  coalesce((SELECT json_agg(json_build_object('id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
              'price_cents', v.price_cents, 'compare_at_cents', v.compare_at_cents, 'stock', v.stock,
              'low_stock_threshold', v.low_stock_threshold, 'status', v.status) ORDER BY v.position, v.sku)
            FROM variants v WHERE v.product_id = p.id), '[]') AS variants,
  coalesce((SELECT json_agg(json_build_object('id', i.id, 'url', i.url, 'alt', i.alt, 'position', i.position) ORDER BY i.position)
            FROM product_images i WHERE i.product_id = p.id), '[]') AS images`;

/** One product by id, optionally locked for an update. */
export async function findProduct(db: Queryable, id: string, lock = false): Promise<ProductRow | undefined> {
  if (lock) await maybeOne(db, 'SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [id]);
  return maybeOne<ProductRow>(db, `SELECT ${PRODUCT} FROM products p WHERE p.id = $1`, [id]);
}

/** One page of products, most recently changed first. */
export async function findProducts(db: Queryable, filter: { q?: string | undefined; status?: string | undefined }, limit: number, offset: number) {
  const where = `WHERE ($1::text IS NULL OR p.title ILIKE '%' || $1 || '%' OR p.slug ILIKE '%' || $1 || '%'
      OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.sku ILIKE '%' || $1 || '%'))
    AND ($2::text IS NULL OR p.status = $2)`;
  const params = [filter.q ? filter.q.replace(/[\\%_]/g, (c) => `\\${c}`) : null, filter.status ?? null];
  const rows = await many<ProductRow>(db, `SELECT ${PRODUCT} FROM products p ${where} ORDER BY p.updated_at DESC, p.id LIMIT $3 OFFSET $4`, [...params, limit, offset]);
  const { total } = await one<{ total: number }>(db, `SELECT count(*)::int AS total FROM products p ${where}`, params);
  return { rows, total };
}

/** Inserts a product; a taken slug raises the database's conflict. */
export async function insertProduct(tx: Tx, input: ProductInput): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO products (slug, title, description, status, seo_title, seo_description) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.slug, input.title, input.description, input.status, input.seoTitle ?? null, input.seoDescription ?? null],
  );
  return id;
}

/** Changes the given fields of a product. */
export async function updateProduct(tx: Tx, id: string, patch: ProductPatch): Promise<void> {
  await exec(
    tx,
    `UPDATE products SET
       slug = coalesce($2, slug), title = coalesce($3, title), description = coalesce($4, description), status = coalesce($5, status),
       seo_title = CASE WHEN $6 THEN $7 ELSE seo_title END, seo_description = CASE WHEN $8 THEN $9 ELSE seo_description END,
       updated_at = now()
     WHERE id = $1`,
    [id, patch.slug ?? null, patch.title ?? null, patch.description ?? null, patch.status ?? null,
      patch.seoTitle !== undefined, patch.seoTitle ?? null, patch.seoDescription !== undefined, patch.seoDescription ?? null],
  );
}

/** Replaces the product's categories; 0 when one of them does not exist. */
export async function setCategories(tx: Tx, productId: string, categoryIds: string[]): Promise<boolean> {
  const known = await many<{ id: string }>(tx, 'SELECT id FROM categories WHERE id = ANY($1::uuid[])', [categoryIds]);
  if (known.length !== new Set(categoryIds).size) return false;
  await exec(tx, 'DELETE FROM product_categories WHERE product_id = $1', [productId]);
  await exec(tx, 'INSERT INTO product_categories (product_id, category_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [productId, categoryIds]);
  return true;
}

/** Adds a variant at the end of the product's list; a taken SKU raises the database's conflict. */
export async function insertVariant(tx: Tx, productId: string, input: VariantInput): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO variants (product_id, sku, title, options, price_cents, compare_at_cents, stock, low_stock_threshold, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT coalesce(max(position) + 1, 0) FROM variants WHERE product_id = $1)) RETURNING id`,
    [productId, input.sku, input.title, JSON.stringify(input.options), input.priceCents, input.compareAtCents, input.stock, input.lowStockThreshold],
  );
  await exec(tx, 'UPDATE products SET updated_at = now() WHERE id = $1', [productId]);
  return id;
}

/** The variant's product id, locking the variant. */
export async function lockVariant(tx: Tx, id: string): Promise<{ product_id: string; price_cents: number; compare_at_cents: number | null; stock: number } | undefined> {
  return maybeOne(tx, 'SELECT product_id, price_cents, compare_at_cents, stock FROM variants WHERE id = $1 FOR UPDATE', [id]);
}

/** Changes the given fields of a variant. */
export async function updateVariant(tx: Tx, id: string, patch: VariantPatch): Promise<void> {
  await exec(
    tx,
    `UPDATE variants SET title = coalesce($2, title), options = coalesce($3::jsonb, options), price_cents = coalesce($4, price_cents),
       compare_at_cents = CASE WHEN $5 THEN $6 ELSE compare_at_cents END, low_stock_threshold = coalesce($7, low_stock_threshold),
       status = coalesce($8, status), updated_at = now()
     WHERE id = $1`,
    [id, patch.title ?? null, patch.options ? JSON.stringify(patch.options) : null, patch.priceCents ?? null,
      patch.compareAtCents !== undefined, patch.compareAtCents ?? null, patch.lowStockThreshold ?? null, patch.status ?? null],
  );
}

/** Adds `delta` to the stock unless it would go below zero (one conditional UPDATE); the new stock, or undefined. */
export async function adjustStock(tx: Tx, id: string, delta: number, reason: string, actorId: string): Promise<number | undefined> {
  const row = await maybeOne<{ stock: number }>(tx, 'UPDATE variants SET stock = stock + $2, updated_at = now() WHERE id = $1 AND stock + $2 >= 0 RETURNING stock', [id, delta]);
  if (!row) return undefined;
  await exec(tx, 'INSERT INTO stock_adjustments (variant_id, delta, reason, actor_id) VALUES ($1, $2, $3, $4)', [id, delta, reason, actorId]);
  return row.stock;
}

/** Every category in display order. */
export async function findCategories(db: Queryable) {
  return many<{ id: string; slug: string; name: string; parent_id: string | null; position: number }>(
    db,
    'SELECT id, slug, name, parent_id, position FROM categories ORDER BY position, name',
  );
}

/** Inserts a category; a taken slug raises the database's conflict. */
export async function insertCategory(tx: Tx, input: CategoryInput): Promise<string> {
  const { id } = await one<{ id: string }>(tx, 'INSERT INTO categories (slug, name, parent_id, position) VALUES ($1, $2, $3, $4) RETURNING id', [
    input.slug,
    input.name,
    input.parentId,
    input.position,
  ]);
  return id;
}

/** Changes the given fields of a category; false when it does not exist. */
export async function updateCategory(tx: Tx, id: string, patch: CategoryPatch): Promise<boolean> {
  const changed = await exec(
    tx,
    `UPDATE categories SET slug = coalesce($2, slug), name = coalesce($3, name),
       parent_id = CASE WHEN $4 THEN $5::uuid ELSE parent_id END, position = coalesce($6, position) WHERE id = $1`,
    [id, patch.slug ?? null, patch.name ?? null, patch.parentId !== undefined, patch.parentId ?? null, patch.position ?? null],
  );
  return changed > 0;
}
