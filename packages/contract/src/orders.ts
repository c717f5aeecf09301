import { z } from 'zod';
import { ShippingAddress } from './address.js';
import { LinkToken, Money, PageQuery, pageOf } from './common.js';
import { RelayPoint } from './delivery.js';
import { LineItem } from './lines.js';
import { PROVIDER_NAMES } from './payments.js';

/** Every status an order can have (the API's `orders/status.ts` holds the transitions between them). */
export const ORDER_STATUSES = ['pending_payment', 'paid', 'preparing', 'payment_failed', 'cancelled', 'shipped', 'delivered', 'refunded'] as const;
/** An order's status. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One line of an order: title and price snapshots taken at checkout. */
export const OrderLine = LineItem.extend({
  /** Null once the variant no longer exists. */
  variantId: z.uuid().nullable(),
  /** This line's share of the order discount. */
  discountCents: Money,
  /** VAT included in (lineTotal − discount share). */
  vatCents: Money,
}).meta({ id: 'OrderLine' });
export type OrderLine = z.infer<typeof OrderLine>;

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
    paymentProvider: z.enum(PROVIDER_NAMES),
    createdAt: z.iso.datetime({ offset: true }),
    /** Until then an unpaid order keeps its stock; after, it is cancelled. */
    expiresAt: z.iso.datetime({ offset: true }),
    paidAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

/** `{ order }`: the answer of a test payment's confirmation. */
export const OrderBody = z.object({ order: Order });

/** Path parameter naming an order. */
export const OrderParams = z.object({ id: z.uuid('identifiant de commande invalide') });

/** `GET /api/orders/:id` query: the guest token from the confirmation e-mail. */
export const OrderQuery = z.object({ token: LinkToken('jeton invalide').optional() });

/** `GET /api/orders` query. */
export const OrderListQuery = PageQuery;

/** One page of my orders. */
export const OrderList = pageOf(Order).meta({ id: 'OrderList' });
export type OrderList = z.infer<typeof OrderList>;
