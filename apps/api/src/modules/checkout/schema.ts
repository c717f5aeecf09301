import { z } from 'zod';
import { ShippingMethodId } from '../cart/schema.js';
import { Order } from '../orders/schema.js';
import { PROVIDER_NAMES } from '../payments/provider.js';
import { Payment } from '../payments/schema.js';

const Text = (max: number) =>
  z
    .string('texte attendu')
    .trim()
    .min(1, 'obligatoire')
    .max(max, `${max} caractères au plus`)
    .refine((value) => !/\p{Cc}/u.test(value), 'caractères de contrôle interdits');

/** `POST /api/checkout` (prices are never accepted from the client: the server reads them). */
export const CheckoutRequest = z.object({
  email: z
    .string('adresse e-mail attendue')
    .trim()
    .max(254)
    .pipe(z.email('adresse e-mail invalide'))
    .transform((value) => value.toLowerCase()),
  shippingAddress: z.object({
    name: Text(120),
    line1: Text(200),
    line2: Text(200).optional(),
    postalCode: z.string('code postal attendu').trim().regex(/^[A-Za-z0-9 -]{3,10}$/, 'code postal invalide'),
    city: Text(120),
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres').default('FR'),
  }),
  shippingMethodId: ShippingMethodId,
  paymentProvider: z.enum(PROVIDER_NAMES, 'moyen de paiement : « test » ou « stripe »'),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

/** `POST /api/checkout` answer. */
export const CheckoutResponse = z.object({ order: Order, payment: Payment }).meta({ id: 'CheckoutResponse' });
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

/** A shipping method. */
export const ShippingMethod = z
  .object({ id: z.string(), name: z.string(), priceCents: z.int().min(0), freeOverCents: z.int().nullable() })
  .meta({ id: 'ShippingMethod' });
