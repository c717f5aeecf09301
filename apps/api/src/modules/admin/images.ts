import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, many, maybeOne, one, withTransaction, type Pool } from '@girlycrea/db';
import sharp from 'sharp';
import { AppError } from '../../http/errors.js';
import { recordAudit, type Actor } from './audit.js';
import { getProduct } from './catalog.js';
import type { AdminProduct, ImageOrder, ImagePatch } from './catalog-schema.js';
import type { CatalogChanged } from './storefront.js';

/** Largest image accepted (before resizing). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Widths the storefront uses (never enlarged), each written as WebP and AVIF. */
export const IMAGE_WIDTHS = [400, 800, 1600] as const;
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'heif', 'gif']);
// Images larger than this many pixels are refused before decoding (decompression bombs).
const MAX_PIXELS = 50_000_000;

/** What image uploads need. */
export interface ImageDeps {
  db: Pool;
  /** The uploads folder; files are served under /api/uploads/. */
  uploadsDir: string;
  catalogChanged: CatalogChanged;
}

/** A product image as the back office shows it. */
export interface AdminImage {
  id: string;
  url: string;
  alt: string;
  position: number;
}

const notAnImage = () => new AppError('invalid_request', 'Ce fichier n’est pas une image JPEG, PNG, WebP, AVIF ou GIF.', { details: [{ path: 'image', message: 'format non pris en charge' }] });

/**
 * Adds an image to a product: the file is checked by decoding it (its name and declared type are
 * not trusted), resized to each storefront width as WebP and AVIF under
 * `uploads/products/<product>/<image>-<width>.<format>`, then listed last. The stored URL is the
 * 800 px WebP. 404 unknown product; 400 not an image.
 */
export async function addImage(deps: ImageDeps, actor: Actor, productId: string, bytes: Buffer, alt: string): Promise<AdminImage> {
  if (!(await maybeOne(deps.db, 'SELECT 1 FROM products WHERE id = $1', [productId]))) throw new AppError('not_found', 'Produit introuvable.');
  const metadata = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata().catch(() => {
    throw notAnImage();
  });
  if (!metadata.format || !ACCEPTED.has(metadata.format) || !metadata.width) throw notAnImage();
  const id = randomUUID();
  const folder = join(deps.uploadsDir, 'products', productId);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  try {
    for (const width of IMAGE_WIDTHS) {
      const resized = sharp(bytes, { limitInputPixels: MAX_PIXELS }).rotate().resize({ width, withoutEnlargement: true });
      for (const [format, output] of [
        ['webp', resized.clone().webp({ quality: 80 })],
        ['avif', resized.clone().avif({ quality: 55 })],
      ] as const) {
        const file = join(folder, `${id}-${width}.${format}`);
        await writeFile(file, await output.toBuffer());
        written.push(file);
      }
    }
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    if (error instanceof AppError) throw error;
    throw notAnImage();
  }
  const url = `/api/uploads/products/${productId}/${id}-800.webp`;
  const image = await withTransaction(deps.db, async (tx) => {
    const row = await one<AdminImage>(
      tx,
      `INSERT INTO product_images (id, product_id, url, alt, position)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position) + 1, 0) FROM product_images WHERE product_id = $2)) RETURNING id, url, alt, position`,
      [id, productId, url, alt],
    );
    await exec(tx, 'UPDATE products SET updated_at = now() WHERE id = $1', [productId]);
    await recordAudit(tx, actor, { action: 'image.create', entityType: 'product', entityId: productId, after: row });
    return row;
  });
  await deps.catalogChanged();
  return image;
}

/** Changes the text that describes an image (audited before/after); 404 unknown image. */
export async function updateImage(deps: ImageDeps, actor: Actor, imageId: string, patch: ImagePatch): Promise<AdminProduct> {
  const productId = await withTransaction(deps.db, async (tx) => {
    const before = await maybeOne<AdminImage & { product_id: string }>(tx, 'SELECT id, url, alt, position, product_id FROM product_images WHERE id = $1 FOR UPDATE', [imageId]);
    if (!before) throw new AppError('not_found', 'Image introuvable.');
    const { product_id: product, ...shown } = before;
    const after = await one<AdminImage>(tx, 'UPDATE product_images SET alt = $2 WHERE id = $1 RETURNING id, url, alt, position', [imageId, patch.alt]);
    await exec(tx, 'UPDATE products SET updated_at = now() WHERE id = $1', [product]);
    await recordAudit(tx, actor, { action: 'image.update', entityType: 'product', entityId: product, before: shown, after });
    return product;
  });
  await deps.catalogChanged();
  return getProduct(deps.db, productId);
}

/**
 * Puts a product's images in the given order (the first is the one lists and cart lines show).
 * The list must name every image of the product exactly once: 400 otherwise, and nothing moves.
 */
export async function reorderImages(deps: ImageDeps, actor: Actor, productId: string, input: ImageOrder): Promise<AdminProduct> {
  await withTransaction(deps.db, async (tx) => {
    if (!(await maybeOne(tx, 'SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [productId]))) throw new AppError('not_found', 'Produit introuvable.');
    const current = (await many<{ id: string }>(tx, 'SELECT id FROM product_images WHERE product_id = $1 ORDER BY position, id', [productId])).map((row) => row.id);
    const known = new Set(current);
    if (input.imageIds.length !== current.length || !input.imageIds.every((id) => known.has(id))) {
      const message = 'L’ordre doit citer chaque image du produit une seule fois : rechargez la page et recommencez.';
      throw new AppError('invalid_request', message, { details: [{ path: 'imageIds', message: 'pas exactement les images du produit' }] });
    }
    await exec(
      tx,
      `UPDATE product_images i SET position = o.n - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, n)
       WHERE i.id = o.id AND i.product_id = $1 AND i.position IS DISTINCT FROM o.n - 1`,
      [productId, input.imageIds],
    );
    await exec(tx, 'UPDATE products SET updated_at = now() WHERE id = $1', [productId]);
    await recordAudit(tx, actor, { action: 'image.reorder', entityType: 'product', entityId: productId, before: { imageIds: current }, after: { imageIds: input.imageIds } });
  });
  await deps.catalogChanged();
  return getProduct(deps.db, productId);
}
