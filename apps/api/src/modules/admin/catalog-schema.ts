import { z } from 'zod';

const Slug = z
  .string()
  .trim()
  .min(1, 'obligatoire')
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lettres minuscules, chiffres et tirets seulement (ex. collier-perles-roses)');
const Text = (max: number) => z.string().trim().min(1, 'obligatoire').max(max, `${max} caractères au plus`);
const Cents = z.int('montant en centimes entiers').min(1, 'le prix doit être positif').max(10_000_000);
const Count = z.int('nombre entier attendu').min(0, 'ne peut pas être négatif').max(100_000);

/** Path parameter of a product, variant or category. */
export const IdParams = z.object({ id: z.uuid('identifiant invalide') });

const ProductFields = z.object({
  slug: Slug,
  title: Text(200),
  description: z.string().trim().max(10_000).default(''),
  status: z.enum(['draft', 'active', 'archived'], 'statut : brouillon (draft), en ligne (active) ou archivé (archived)').default('draft'),
  categoryIds: z.array(z.uuid('catégorie invalide')).max(20).default([]),
  seoTitle: Text(70).nullable().optional(),
  seoDescription: Text(160).nullable().optional(),
});

/** `POST /api/admin/products`. */
export const ProductInput = ProductFields;
export type ProductInput = z.infer<typeof ProductInput>;

/** `PATCH /api/admin/products/:id`: any non-empty subset (no defaults, so what is left out keeps its value). */
export const ProductPatch = z
  .object({
    slug: Slug,
    title: Text(200),
    description: z.string().trim().max(10_000),
    status: ProductFields.shape.status.unwrap(),
    categoryIds: z.array(z.uuid('catégorie invalide')).max(20),
    seoTitle: Text(70).nullable(),
    seoDescription: Text(160).nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type ProductPatch = z.infer<typeof ProductPatch>;

/** `GET /api/admin/products`. */
export const ProductQuery = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  status: z.enum(['draft', 'active', 'archived']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const compareAbovePrice = (v: { priceCents?: number | undefined; compareAtCents?: number | null | undefined }) =>
  v.compareAtCents == null || v.priceCents === undefined || v.compareAtCents > v.priceCents;
const COMPARE_MESSAGE = { message: 'le prix barré doit être supérieur au prix', path: ['compareAtCents'] };

/** `POST /api/admin/products/:id/variants`. */
export const VariantInput = z
  .object({
    sku: z.string().trim().min(1, 'obligatoire').max(60).regex(/^[A-Za-z0-9_-]+$/, 'lettres, chiffres, - et _ seulement'),
    title: Text(120),
    options: z.record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(60)).default({}),
    priceCents: Cents,
    compareAtCents: Cents.nullable().default(null),
    stock: Count.default(0),
    lowStockThreshold: Count.default(3),
  })
  .refine(compareAbovePrice, COMPARE_MESSAGE);
export type VariantInput = z.infer<typeof VariantInput>;

/** `PATCH /api/admin/variants/:id`: stock changes go through adjustments, with a reason. */
export const VariantPatch = z
  .object({
    title: Text(120),
    options: z.record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(60)),
    priceCents: Cents,
    compareAtCents: Cents.nullable(),
    lowStockThreshold: Count,
    status: z.enum(['active', 'archived']),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier')
  .refine(compareAbovePrice, COMPARE_MESSAGE);
export type VariantPatch = z.infer<typeof VariantPatch>;

/** `POST /api/admin/variants/:id/stock`: a change of stock and why. */
export const StockAdjustment = z.object({
  delta: z.int('nombre entier attendu').min(-100_000).max(100_000).refine((n) => n !== 0, 'la variation ne peut pas être nulle'),
  reason: Text(200),
});
export type StockAdjustment = z.infer<typeof StockAdjustment>;

/** `POST /api/admin/products/:id/images?alt=…`: the image is the request body. */
export const ImageQuery = z.object({ alt: z.string().trim().max(200, '200 caractères au plus').default('') });

/** `PATCH /api/admin/images/:id`: the text that describes the image (empty: decorative). */
export const ImagePatch = z.object({ alt: z.string('texte attendu').trim().max(200, '200 caractères au plus') });
export type ImagePatch = z.infer<typeof ImagePatch>;

/** `PUT /api/admin/products/:id/images/order`: every image of the product, each once, first shown first. */
export const ImageOrder = z.object({
  imageIds: z
    .array(z.uuid('image invalide'), 'liste d’images attendue')
    .min(1, 'au moins une image')
    .max(100, '100 images au plus')
    .refine((ids) => new Set(ids).size === ids.length, 'chaque image une seule fois'),
});
export type ImageOrder = z.infer<typeof ImageOrder>;

/** `POST /api/admin/categories`. */
export const CategoryInput = z.object({
  slug: Slug,
  name: Text(120),
  parentId: z.uuid('catégorie parente invalide').nullable().default(null),
  position: z.int().min(0).max(10_000).default(0),
});
export type CategoryInput = z.infer<typeof CategoryInput>;

/** `PATCH /api/admin/categories/:id`. */
export const CategoryPatch = z
  .object({ slug: Slug, name: Text(120), parentId: z.uuid().nullable(), position: z.int().min(0).max(10_000) })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type CategoryPatch = z.infer<typeof CategoryPatch>;

/** A variant as the back office shows it. */
export const AdminVariant = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    priceCents: z.int(),
    compareAtCents: z.int().nullable(),
    stock: z.int(),
    lowStockThreshold: z.int(),
    status: z.enum(['active', 'archived']),
  })
  .meta({ id: 'AdminVariant' });
export type AdminVariant = z.infer<typeof AdminVariant>;

/** A product as the back office shows it. */
export const AdminProduct = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(['draft', 'active', 'archived']),
    seoTitle: z.string().nullable(),
    seoDescription: z.string().nullable(),
    categoryIds: z.array(z.uuid()),
    variants: z.array(AdminVariant),
    images: z.array(z.object({ id: z.uuid(), url: z.string(), alt: z.string(), position: z.int() })),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'AdminProduct' });
export type AdminProduct = z.infer<typeof AdminProduct>;

/** A category row. */
export const AdminCategory = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), parentId: z.uuid().nullable(), position: z.int() })
  .meta({ id: 'AdminCategory' });
export type AdminCategory = z.infer<typeof AdminCategory>;
