import { z } from 'zod';

const Text = (max: number) => z.string().trim().min(1, 'obligatoire').max(max, `${max} caractères au plus`);
const Amount = z.int('montant en centimes entiers').min(0, 'ne peut pas être négatif').max(10_000_000, 'montant trop élevé');
const Limit = z.int('nombre entier attendu').min(1, 'au moins 1 (vide : sans limite)').max(1_000_000);
const Instant = z.iso.datetime({ offset: true, message: 'date invalide (ISO 8601, ex. 2026-12-24T00:00:00+01:00)' });

/** Path parameter of a shipping method: its slug-like id. */
export const ShippingMethodParams = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'identifiant invalide').max(60),
});

const DiscountFields = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9_-]{3,40}$/, '3 à 40 lettres, chiffres, - ou _ (ex. NOEL2026)'),
  kind: z.enum(['percent', 'fixed'], 'type : pourcentage (percent) ou montant fixe (fixed)'),
  /** percent: 1..100; fixed: cents. */
  value: z.int('nombre entier attendu').min(1, 'la remise doit être positive').max(10_000_000, 'remise trop élevée'),
  minSubtotalCents: Amount,
  startsAt: Instant.nullable(),
  endsAt: Instant.nullable(),
  usageLimit: Limit.nullable(),
  perCustomerLimit: Limit.nullable(),
  perEmailLimit: Limit.nullable(),
  active: z.boolean('vrai ou faux attendu'),
});

type DiscountShape = Partial<z.infer<typeof DiscountFields>>;

/** A French problem with a discount's fields taken together (percent above 100, end before start), or null. */
export function discountProblem(d: DiscountShape): { path: string; message: string } | null {
  if (d.kind === 'percent' && d.value !== undefined && d.value > 100) return { path: 'value', message: 'un pourcentage va de 1 à 100' };
  if (d.startsAt && d.endsAt && Date.parse(d.startsAt) >= Date.parse(d.endsAt)) return { path: 'endsAt', message: 'la fin doit être après le début' };
  return null;
}

const checked = <T extends z.ZodType<DiscountShape>>(schema: T) =>
  schema.superRefine((d, ctx) => {
    const problem = discountProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

/** `POST /api/admin/discounts`. */
export const DiscountInput = checked(
  DiscountFields.extend({
    minSubtotalCents: Amount.default(0),
    startsAt: Instant.nullable().default(null),
    endsAt: Instant.nullable().default(null),
    usageLimit: Limit.nullable().default(null),
    perCustomerLimit: Limit.nullable().default(null),
    perEmailLimit: Limit.nullable().default(null),
    active: z.boolean('vrai ou faux attendu').default(true),
  }),
);
export type DiscountInput = z.infer<typeof DiscountInput>;

/** `PATCH /api/admin/discounts/:id`: any non-empty subset; `active: false` disables the code. */
export const DiscountPatch = checked(
  DiscountFields.partial().refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier'),
);
export type DiscountPatch = z.infer<typeof DiscountPatch>;

/** A discount code as the back office shows it, with how often it was used. */
export const AdminDiscount = z
  .object({
    id: z.uuid(),
    code: z.string(),
    kind: z.enum(['percent', 'fixed']),
    value: z.int(),
    minSubtotalCents: z.int(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    usageLimit: z.int().nullable(),
    perCustomerLimit: z.int().nullable(),
    perEmailLimit: z.int().nullable(),
    active: z.boolean(),
    /** Uses counted by checkout (orders placed with it, less those cancelled or failed). */
    usedCount: z.int(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminDiscount' });
export type AdminDiscount = z.infer<typeof AdminDiscount>;

const ShippingFields = z.object({
  name: Text(120),
  priceCents: Amount,
  freeOverCents: z.int('montant en centimes entiers').min(1, 'doit être positif (vide : jamais gratuit)').max(10_000_000).nullable(),
  position: z.int('nombre entier attendu').min(0, 'ne peut pas être négatif').max(10_000),
  active: z.boolean('vrai ou faux attendu'),
});

/** `POST /api/admin/shipping-methods`. */
export const ShippingMethodInput = ShippingFields.extend({
  id: ShippingMethodParams.shape.id.describe('identifiant stable (ex. lettre-suivie)'),
  freeOverCents: ShippingFields.shape.freeOverCents.default(null),
  position: ShippingFields.shape.position.default(0),
  active: ShippingFields.shape.active.default(true),
});
export type ShippingMethodInput = z.infer<typeof ShippingMethodInput>;

/** `PATCH /api/admin/shipping-methods/:id`: any non-empty subset; `active: false` stops offering it. */
export const ShippingMethodPatch = ShippingFields.partial().refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type ShippingMethodPatch = z.infer<typeof ShippingMethodPatch>;

/** A shipping method as the back office shows it, with the number of orders that used it. */
export const AdminShippingMethod = z
  .object({
    id: z.string(),
    name: z.string(),
    priceCents: z.int(),
    freeOverCents: z.int().nullable(),
    position: z.int(),
    active: z.boolean(),
    orders: z.int(),
  })
  .meta({ id: 'AdminShippingMethod' });
export type AdminShippingMethod = z.infer<typeof AdminShippingMethod>;
