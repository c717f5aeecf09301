import { z } from 'zod';
import { AddressLinesInput } from './address.js';
import { Email } from './accounts.js';
import { ShippingMethodId } from './cart.js';
import { RelayPointId } from './delivery.js';
import { Order } from './orders.js';
import { Payment, PROVIDER_NAMES } from './payments.js';

/** `POST /api/checkout` (prices are never accepted from the client: the server reads them). */
export const CheckoutRequest = z.object({
  email: Email,
  shippingAddress: AddressLinesInput.extend({
    country: AddressLinesInput.shape.country.default('FR'),
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
/** The body a client sends to `POST /api/checkout` (before defaults and normalisation). */
export type CheckoutBody = z.input<typeof CheckoutRequest>;

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
export type ShippingMethod = z.infer<typeof ShippingMethod>;

/** `GET /api/shipping-methods` answer. */
export const ShippingMethodList = z.array(ShippingMethod);
