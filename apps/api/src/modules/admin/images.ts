import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, maybeOne, one, withTransaction, type Pool } from '@girlycrea/db';
import sharp from 'sharp';
import { AppError } from '../../http/errors.js';
import { recordAudit, type Actor } from './audit.js';
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
