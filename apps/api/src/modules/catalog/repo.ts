import { many, maybeOne, type Queryable } from '@girlycrea/db';
import type { ProductListQuery } from '@girlycrea/contract';

/** A row of the product list query. */
export interface ProductSummaryRow {
  id: string;
  slug: string;
  title: string;
  price_cents: number;
  compare_at_cents: number | null;
  in_stock: boolean;
  image: string | null;
  total: string;
}

/** A product page row, with its variants, images and categories aggregated as JSON. */
export interface ProductDetailRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  images: { url: string; alt: string; variantId: string | null }[];
  categories: { id: string; slug: string; name: string }[];
  variants: {
    id: string;
    sku: string;
    title: string;
    options: Record<string, string>;
    price_cents: number;
    compare_at_cents: number | null;
    stock: number;
  }[];
}

/** A category row. */
export interface CategoryRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
}

const ORDER_BY: Record<NonNullable<ProductListQuery['sort']>, string> = {
  newest: 'p.created_at DESC, p.id',
  price_asc: 'v.price_cents ASC, p.id',
  price_desc: 'v.price_cents DESC, p.id',
  relevance: 'rank DESC, p.created_at DESC, p.id',
};

// Each query word of 4+ letters is replaced by the closest word seen in product titles (pg_trgm),
// and the original and corrected queries are OR-ed: accents and plurals are handled by the
// french_unaccent configuration, one-letter typos by the correction.
const searchCte = (q: string) => `
  words AS (
    SELECT word, ord
    FROM regexp_split_to_table(lower(gc_unaccent(${q}::text)), '[^a-z0-9]+') WITH ORDINALITY AS t(word, ord)
    WHERE word <> ''
  ),
  corrected AS (
    SELECT string_agg(
      coalesce(
        CASE WHEN length(word) >= 4 THEN
          (SELECT term FROM search_terms WHERE term % word ORDER BY term <-> word LIMIT 1)
        END,
        word),
      ' ' ORDER BY ord) AS text
    FROM words
  ),
  search AS (
    SELECT plainto_tsquery('french_unaccent', ${q}::text)
        || plainto_tsquery('french_unaccent', coalesce((SELECT text FROM corrected), '')) AS query
  )`;

const categoryCte = (slug: string) => `
  selected_categories AS (
    SELECT id FROM categories WHERE slug = ${slug}
    UNION
    SELECT c.id FROM categories c JOIN selected_categories s ON c.parent_id = s.id
  )`;

/** Filters of the product list, after validation and defaults. */
export type ProductFilters = Pick<ProductListQuery, 'q' | 'category' | 'page' | 'limit'> & {
  sort: NonNullable<ProductListQuery['sort']>;
};

/** Active products matching the filters, one page, each row carrying the total count of matches. */
export async function findProducts(db: Queryable, filters: ProductFilters): Promise<ProductSummaryRow[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const ctes: string[] = [];
  const where = ["p.status = 'active'"];
  let rank = '0';
  if (filters.q) {
    ctes.push(searchCte(param(filters.q)));
    where.push('p.search_vector @@ (SELECT query FROM search)');
    rank = 'ts_rank(p.search_vector, (SELECT query FROM search))';
  }
  if (filters.category) {
    ctes.push(categoryCte(param(filters.category)));
    where.push(`EXISTS (SELECT 1 FROM product_categories pc JOIN selected_categories s ON s.id = pc.category_id
                        WHERE pc.product_id = p.id)`);
  }
  const sql = `
    ${ctes.length > 0 ? `WITH RECURSIVE ${ctes.join(',')}` : ''}
    SELECT p.id, p.slug, p.title, v.price_cents, v.compare_at_cents, v.in_stock, img.url AS image,
           ${rank} AS rank, count(*) OVER () AS total
    FROM products p
    JOIN LATERAL (
      SELECT min(price_cents) AS price_cents,
             (array_agg(compare_at_cents ORDER BY price_cents))[1] AS compare_at_cents,
             bool_or(stock > 0) AS in_stock
      FROM variants
      WHERE product_id = p.id AND status = 'active'
    ) v ON v.price_cents IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT url FROM product_images WHERE product_id = p.id ORDER BY position LIMIT 1
    ) img ON true
    WHERE ${where.join(' AND ')}
    ORDER BY ${ORDER_BY[filters.sort]}
    LIMIT ${param(filters.limit)} OFFSET ${param((filters.page - 1) * filters.limit)}`;
  return many<ProductSummaryRow>(db, sql, values);
}

/** Counts the matches of `findProducts` (used when a page lies past the last result). */
export async function countProducts(
  db: Queryable,
  filters: Pick<ProductListQuery, 'q' | 'category'>,
): Promise<number> {
  const rows = await findProducts(db, { ...filters, sort: 'newest', page: 1, limit: 1 });
  return Number(rows[0]?.total ?? 0);
}

/** Whether a category with this slug exists. */
export async function categoryExists(db: Queryable, slug: string): Promise<boolean> {
  return (await maybeOne(db, 'SELECT 1 FROM categories WHERE slug = $1', [slug])) !== undefined;
}

/** Every category, parents before children in display order. */
export async function findCategories(db: Queryable): Promise<CategoryRow[]> {
  return many<CategoryRow>(db, 'SELECT id, parent_id, slug, name FROM categories ORDER BY position, name');
}

/** The active product with this slug and its active variants. */
export async function findProductBySlug(db: Queryable, slug: string): Promise<ProductDetailRow | undefined> {
  return maybeOne<ProductDetailRow>(
    db,
    `SELECT p.id, p.slug, p.title, p.description,
       coalesce((SELECT json_agg(json_build_object('url', i.url, 'alt', i.alt, 'variantId', i.variant_id) ORDER BY i.position)
                 FROM product_images i WHERE i.product_id = p.id), '[]') AS images,
       coalesce((SELECT json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) ORDER BY c.position, c.name)
                 FROM product_categories pc JOIN categories c ON c.id = pc.category_id
                 WHERE pc.product_id = p.id), '[]') AS categories,
       coalesce((SELECT json_agg(json_build_object(
                   'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
                   'price_cents', v.price_cents, 'compare_at_cents', v.compare_at_cents, 'stock', v.stock)
                   ORDER BY v.position, v.sku)
                 FROM variants v WHERE v.product_id = p.id AND v.status = 'active'), '[]') AS variants
     FROM products p
     WHERE p.slug = $1 AND p.status = 'active'`,
    [slug],
  );
}

/** A stored media file. */
export async function findMedia(db: Queryable, path: string): Promise<{ content_type: string; body: Buffer } | undefined> {
  return maybeOne(db, 'SELECT content_type, body FROM media WHERE path = $1', [path]);
}

/** For each variant id, the URL of its first picture (its own when it has one, else the product's first). */
export async function findVariantImages(db: Queryable, variantIds: readonly string[]): Promise<{ variant_id: string; url: string }[]> {
  return many(
    db,
    `SELECT DISTINCT ON (v.id) v.id AS variant_id, i.url
     FROM variants v JOIN product_images i ON i.product_id = v.product_id
     WHERE v.id = ANY($1::uuid[])
     ORDER BY v.id, (i.variant_id IS NOT DISTINCT FROM v.id) DESC, i.position`,
    [variantIds],
  );
}
