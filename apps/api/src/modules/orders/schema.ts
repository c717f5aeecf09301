import { z } from 'zod';
import { RelayPoint } from '../delivery/schema.js';
import { ORDER_STATUSES } from './status.js';

const Money = z.int().min(0).meta({ description: 'Centimes d’euro, TVA incluse' });

/** A delivery address as the order keeps it. */
export const ShippingAddress = z
  .object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    postalCode: z.string(),
    city: z.string(),
    country: z.string(),
    /** E.164 (`+33612345678`), for the carrier's delivery notices. */
    phone: z.string().optional(),
  })
  .meta({ id: 'ShippingAddress' });
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** One line of an order: title and price snapshots taken at checkout. */
export const OrderLine = z
  .object({
    variantId: z.uuid().nullable(),
    sku: z.string(),
    title: z.string(),
    variantTitle: z.string(),
    quantity: z.int(),
    unitPriceCents: Money,
    lineTotalCents: Money,
    /** This line's share of the order discount. */
    discountCents: Money,
    /** VAT included in (lineTotal − discount share). */
    vatCents: Money,
  })
  .meta({ id: 'OrderLine' });

/** An order, as the API answers it. */
export const Order = z
  .object({
    id: z.uuid(),
    number: z.string().meta({ example: 'GC-000123' }),
    status: z.enum(ORDER_STATUSES),
    lines: z.array(OrderLine),
    subtotalCents: Money,
    discountCents: Money,
    shippingCents: Money,
    vatCents: Money,
    totalCents: Money,
    currency: z.literal('EUR'),
    email: z.string(),
    /** The customer's address and phone; for relay delivery the parcel goes to `relayPoint` instead. */
    shippingAddress: ShippingAddress,
    shippingMethod: z.object({ id: z.string(), name: z.string() }),
    /** The relay point chosen at checkout, as the carrier described it then. */
    relayPoint: RelayPoint.optional(),
    discountCode: z.string().optional(),
    paymentProvider: z.enum(['test', 'stripe']),
    createdAt: z.iso.datetime({ offset: true }),
    /** Until then an unpaid order keeps its stock; after, it is cancelled. */
    expiresAt: z.iso.datetime({ offset: true }),
    paidAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

/** Path parameter naming an order. */
export const OrderParams = z.object({ id: z.uuid('identifiant de commande invalide') });

/** `GET /api/orders/:id` query: the guest token from the confirmation e-mail. */
export const OrderQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'jeton invalide').optional() });

/** `GET /api/orders` query. */
export const OrderListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** One page of my orders. */
export const OrderList = z.object({ items: z.array(Order), page: z.int(), limit: z.int(), total: z.int() }).meta({ id: 'OrderList' });
export type OrderList = z.infer<typeof OrderList>;
