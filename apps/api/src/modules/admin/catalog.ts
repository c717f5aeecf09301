import { DbError, withTransaction, type Pool, type Tx } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import { recordAudit, type Actor } from './audit.js';
import * as repo from './catalog-repo.js';
import type {
  AdminCategory,
  AdminProduct,
  CategoryInput,
  CategoryPatch,
  ProductInput,
  ProductPatch,
  StockAdjustment,
  VariantInput,
  VariantPatch,
} from './catalog-schema.js';
import type { CatalogChanged } from './storefront.js';

/** What the back office's catalog use cases need. */
export interface AdminCatalogDeps {
  db: Pool;
  catalogChanged: CatalogChanged;
}

const toProduct = (row: repo.ProductRow): AdminProduct => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  description: row.description,
  status: row.status,
  seoTitle: row.seo_title,
  seoDescription: row.seo_description,
  categoryIds: row.category_ids,
  variants: row.variants.map((v) => ({
    id: v.id,
    sku: v.sku,
    title: v.title,
    options: v.options,
    priceCents: v.price_cents,
    compareAtCents: v.compare_at_cents,
    stock: v.stock,
    lowStockThreshold: v.low_stock_threshold,
    status: v.status,
  })),
  images: row.images,
  updatedAt: new Date(row.updated_at).toISOString(),
});

// A unique index refused the write: say which field, in French.
function duplicate(error: unknown): never {
  if (error instanceof DbError && error.kind === 'conflict') {
    const constraint = String((error.cause as { constraint?: unknown } | undefined)?.constraint ?? '');
    const field = constraint.includes('sku') ? 'sku' : 'slug';
    const message = field === 'sku' ? 'Cette référence (SKU) est déjà utilisée par une autre variante.' : 'Ce slug est déjà utilisé : choisissez-en un autre.';
    throw new AppError('conflict', message, { details: [{ path: field, message }] });
  }
  throw error;
}

async function mustFind(tx: Tx | Pool, id: string, lock = false): Promise<repo.ProductRow> {
  const row = await repo.findProduct(tx, id, lock);
  if (!row) throw new AppError('not_found', 'Produit introuvable.');
  return row;
}

// One audited catalog write: the change, the audit entry, then (after commit) the caches.
async function write<T>(deps: AdminCatalogDeps, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await withTransaction(deps.db, work).catch(duplicate);
  await deps.catalogChanged();
  return result;
}

const unknownCategory = () => new AppError('invalid_request', 'Catégorie inconnue.', { details: [{ path: 'categoryIds', message: 'catégorie inconnue' }] });

/** One page of products (all statuses), most recently changed first. */
export async function listProducts(db: Pool, query: { q?: string | undefined; status?: string | undefined; page: number; limit: number }) {
  const { rows, total } = await repo.findProducts(db, query, query.limit, (query.page - 1) * query.limit);
  return { items: rows.map(toProduct), page: query.page, limit: query.limit, total };
}

/** One product with its variants and images; 404 when unknown. */
export async function getProduct(db: Pool, id: string): Promise<AdminProduct> {
  return toProduct(await mustFind(db, id));
}

/** Creates a product (a taken slug is 409 with a French message). */
export async function createProduct(deps: AdminCatalogDeps, actor: Actor, input: ProductInput): Promise<AdminProduct> {
  return write(deps, async (tx) => {
    const id = await repo.insertProduct(tx, input);
    if (!(await repo.setCategories(tx, id, input.categoryIds))) throw unknownCategory();
    const after = toProduct(await mustFind(tx, id));
    await recordAudit(tx, actor, { action: 'product.create', entityType: 'product', entityId: id, after });
    return after;
  });
}

/** Changes a product's fields (title, slug, status: active/archived, SEO, categories). */
export async function updateProduct(deps: AdminCatalogDeps, actor: Actor, id: string, patch: ProductPatch): Promise<AdminProduct> {
  return write(deps, async (tx) => {
    const before = toProduct(await mustFind(tx, id, true));
    await repo.updateProduct(tx, id, patch);
    if (patch.categoryIds && !(await repo.setCategories(tx, id, patch.categoryIds))) throw unknownCategory();
    const after = toProduct(await mustFind(tx, id));
    await recordAudit(tx, actor, { action: 'product.update', entityType: 'product', entityId: id, before, after });
    return after;
  });
}

/** Adds a variant to a product (a taken SKU is 409). */
export async function addVariant(deps: AdminCatalogDeps, actor: Actor, productId: string, input: VariantInput): Promise<AdminProduct> {
  return write(deps, async (tx) => {
    await mustFind(tx, productId, true);
    const id = await repo.insertVariant(tx, productId, input);
    const after = toProduct(await mustFind(tx, productId));
    await recordAudit(tx, actor, { action: 'variant.create', entityType: 'variant', entityId: id, after: after.variants.find((v) => v.id === id) });
    return after;
  });
}

async function lockVariant(tx: Tx, id: string) {
  const variant = await repo.lockVariant(tx, id);
  if (!variant) throw new AppError('not_found', 'Variante introuvable.');
  return variant;
}

/** Changes a variant's price, compare-at price, options, low-stock threshold or status; a compare-at price not above the price is 400. */
export async function updateVariant(deps: AdminCatalogDeps, actor: Actor, id: string, patch: VariantPatch): Promise<AdminProduct> {
  return write(deps, async (tx) => {
    const current = await lockVariant(tx, id);
    const price = patch.priceCents ?? current.price_cents;
    const compareAt = patch.compareAtCents === undefined ? current.compare_at_cents : patch.compareAtCents;
    if (compareAt !== null && compareAt <= price) {
      throw new AppError('invalid_request', 'Le prix barré doit être supérieur au prix.', { details: [{ path: 'compareAtCents', message: 'le prix barré doit être supérieur au prix' }] });
    }
    const before = toProduct(await mustFind(tx, current.product_id)).variants.find((v) => v.id === id);
    await repo.updateVariant(tx, id, patch);
    const after = toProduct(await mustFind(tx, current.product_id));
    await recordAudit(tx, actor, { action: 'variant.update', entityType: 'variant', entityId: id, before, after: after.variants.find((v) => v.id === id) });
    return after;
  });
}

/** Adds to or removes from a variant's stock with a reason; going below zero is 409 and changes nothing. */
export async function adjustStock(deps: AdminCatalogDeps, actor: Actor, id: string, input: StockAdjustment): Promise<{ stock: number }> {
  return write(deps, async (tx) => {
    const current = await lockVariant(tx, id);
    const stock = await repo.adjustStock(tx, id, input.delta, input.reason, actor.id);
    if (stock === undefined) {
      throw new AppError('conflict', `Le stock ne peut pas devenir négatif (stock actuel : ${current.stock}).`, { details: [{ path: 'delta', message: 'stock insuffisant' }] });
    }
    await recordAudit(tx, actor, { action: 'variant.stock', entityType: 'variant', entityId: id, before: { stock: current.stock }, after: { stock, reason: input.reason } });
    return { stock };
  });
}

const toCategory = (row: Awaited<ReturnType<typeof repo.findCategories>>[number]): AdminCategory => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  parentId: row.parent_id,
  position: row.position,
});

/** Every category. */
export async function listCategories(db: Pool): Promise<{ items: AdminCategory[] }> {
  return { items: (await repo.findCategories(db)).map(toCategory) };
}

/** Creates a category (a taken slug is 409). */
export async function createCategory(deps: AdminCatalogDeps, actor: Actor, input: CategoryInput): Promise<AdminCategory> {
  return write(deps, async (tx) => {
    const id = await repo.insertCategory(tx, input);
    const after = (await repo.findCategories(tx)).map(toCategory).find((c) => c.id === id)!;
    await recordAudit(tx, actor, { action: 'category.create', entityType: 'category', entityId: id, after });
    return after;
  });
}

/** Renames, moves or reorders a category. */
export async function updateCategory(deps: AdminCatalogDeps, actor: Actor, id: string, patch: CategoryPatch): Promise<AdminCategory> {
  return write(deps, async (tx) => {
    const before = (await repo.findCategories(tx)).map(toCategory).find((c) => c.id === id);
    if (!before) throw new AppError('not_found', 'Catégorie introuvable.');
    if (patch.parentId === id) throw new AppError('invalid_request', 'Une catégorie ne peut pas être sa propre parente.');
    await repo.updateCategory(tx, id, patch);
    const after = (await repo.findCategories(tx)).map(toCategory).find((c) => c.id === id)!;
    await recordAudit(tx, actor, { action: 'category.update', entityType: 'category', entityId: id, before, after });
    return after;
  });
}
