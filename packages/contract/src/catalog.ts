import { z } from 'zod';
import { Money, PageQuery, Slug, pageOf } from './common.js';

/** The orders a product list can be sorted in (`relevance`: a search's best matches first). */
export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'relevance'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** `GET /api/products` query: filters, sort and pagination. */
export const ProductListQuery = z.object({
  category: Slug.optional(),
  q: z
    .string()
    .max(200, 'recherche trop longue (200 caractères au plus)')
    .refine((value) => !/\p{Cc}/u.test(value), 'caractères de contrôle interdits')
    .transform((value) => value.trim() || undefined)
    .optional(),
  sort: z.enum(PRODUCT_SORTS).optional(),
  ...PageQuery.shape,
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

/** `GET /api/products/:slug` path parameters. */
export const ProductSlugParams = z.object({ slug: Slug });

/** `GET /api/media/*path` path parameters. */
export const MediaParams = z.object({
  path: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/))
    .min(1)
    .max(5)
    .transform((segments) => segments.join('/')),
});

/** A product as listed on catalog pages. */
export const ProductSummary = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    priceCents: Money,
    /** Former price, shown struck through when higher than `priceCents`. */
    compareAtCents: Money.optional(),
    currency: z.literal('EUR'),
    /** URL path such as `/api/media/products/x-1.svg`, or null without a picture. */
    image: z.string().nullable(),
    inStock: z.boolean(),
  })
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof ProductSummary>;

/** One page of products. */
export const ProductList = pageOf(ProductSummary).meta({ id: 'ProductList' });
export type ProductList = z.infer<typeof ProductList>;

/** A purchasable variant of a product. */
export const Variant = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    priceCents: Money,
    compareAtCents: Money.optional(),
    inStock: z.boolean(),
  })
  .meta({ id: 'Variant' });
export type Variant = z.infer<typeof Variant>;

/** A product page. */
export const ProductDetail = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    currency: z.literal('EUR'),
    /** `variantId`: the variant the picture shows (the gallery follows the chosen variant); null for the whole product. */
    images: z.array(z.object({ url: z.string(), alt: z.string(), variantId: z.uuid().nullable() })),
    categories: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string() })),
    variants: z.array(Variant),
  })
  .meta({ id: 'ProductDetail' });
export type ProductDetail = z.infer<typeof ProductDetail>;

/** A node of the category tree. */
export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  children: CategoryNode[];
}
export const CategoryNode: z.ZodType<CategoryNode> = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    get children() {
      return z.array(CategoryNode);
    },
  })
  .meta({ id: 'CategoryNode' });

/** `GET /api/categories` answer: the category tree. */
export const CategoryTree = z.array(CategoryNode);
