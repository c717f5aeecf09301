import { z } from 'zod';
import { ShippingMethodId } from '../cart/schema.js';
import { RelayPointId } from '../delivery/schema.js';
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

// Address fields are what a parcel label needs, nothing more: no digits in a name, no ':', '!', '@'
// or links anywhere, so a field cannot carry a message ("Votre compte sera suspendu : appelez le 06…").
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const STREET = /^[\p{L}\p{M}\d][\p{L}\p{M}\d ,'’./°#()-]*$/u;
const CITY = /^[\p{L}\p{M}][\p{L}\p{M}\d '’.()-]*$/u;
const Restricted = (max: number, pattern: RegExp, what: string) => Text(max).pipe(z.string().regex(pattern, what));

/** `POST /api/checkout` (prices are never accepted from the client: the server reads them). */
export const CheckoutRequest = z.object({
  email: z
    .string('adresse e-mail attendue')
    .trim()
    .max(254)
    .pipe(z.email('adresse e-mail invalide'))
    .transform((value) => value.toLowerCase()),
  shippingAddress: z.object({
    name: Restricted(80, NAME, 'lettres, espaces, apostrophes, points et tirets uniquement'),
    line1: Restricted(120, STREET, 'lettres, chiffres, espaces et , . / ° # ( ) - uniquement'),
    line2: Restricted(120, STREET, 'lettres, chiffres, espaces et , . / ° # ( ) - uniquement').optional(),
    postalCode: z.string('code postal attendu').trim().regex(/^[A-Za-z0-9 -]{3,10}$/, 'code postal invalide'),
    city: Restricted(80, CITY, 'lettres, chiffres, espaces, apostrophes, points et tirets uniquement'),
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres').default('FR'),
    /** Required by carriers that send delivery notices (see `requiresPhone`); checked against the country. */
    phone: z.string('numéro attendu').trim().max(30, '30 caractères au plus').regex(/^[0-9 +().-]*$/, 'numéro invalide').optional(),
  }),
  shippingMethodId: ShippingMethodId,
  /** The chosen relay point (from `GET /api/relay-points`), required for relay delivery. */
  relayPointId: RelayPointId.optional(),
  paymentProvider: z.enum(PROVIDER_NAMES, 'moyen de paiement : « test » ou « stripe »'),
  /** The total (cents, shipping included) the customer saw; when it differs from the price now: 409 price_changed. */
  expectedTotalCents: z.int('montant entier en centimes attendu').min(0).max(100_000_000).optional(),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

/** `POST /api/checkout` answer. */
export const CheckoutResponse = z
  .object({
    order: Order,
    payment: Payment,
    /** The order's secret tracking token (as in the confirmation e-mail's link), for a guest to follow it. */
    accessToken: z.string(),
  })
  .meta({ id: 'CheckoutResponse' });
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

/** A shipping method, and what its carrier asks of the customer. */
export const ShippingMethod = z
  .object({
    id: z.string(),
    name: z.string(),
    priceCents: z.int().min(0),
    freeOverCents: z.int().nullable(),
    /** home: at the address; relay: at a relay point chosen at checkout; pickup: at the workshop. */
    kind: z.enum(['home', 'relay', 'pickup']),
    /** The carrier needs a phone number for its delivery notices. */
    requiresPhone: z.boolean(),
  })
  .meta({ id: 'ShippingMethod' });
