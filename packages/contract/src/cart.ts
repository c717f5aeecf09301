import { z } from 'zod';
import { Money } from './common.js';
import { LineItem } from './lines.js';

/** Most units of one variant in a cart. */
export const MAX_QUANTITY = 99;

const VariantId = z.uuid('identifiant de variante invalide');

/** A shipping method id (`colissimo`, `mondial-relay`, `atelier`). */
export const ShippingMethodId = z.string().max(60).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'mode de livraison invalide');

// Unknown fields (a client-sent price…) are stripped: the server prices every line itself.
/** `POST /api/cart/items`. */
export const AddItemRequest = z.object({
  variantId: VariantId,
  quantity: z.int('quantité entière attendue').min(1, 'au moins 1').max(MAX_QUANTITY, `${MAX_QUANTITY} au plus`).default(1),
});
export type AddItemRequest = z.infer<typeof AddItemRequest>;

/** `PATCH /api/cart/items/:variantId` (0 removes the line). */
export const SetQuantityRequest = z.object({
  quantity: z.int('quantité entière attendue').min(0, '0 ou plus').max(MAX_QUANTITY, `${MAX_QUANTITY} au plus`),
});

/** Path parameter naming a cart line. */
export const CartItemParams = z.object({ variantId: VariantId });

const NO_SUCH_CODE = 'Ce code de réduction n’existe pas : vérifiez son orthographe.';

/** `POST /api/cart/discount`. */
export const DiscountRequest = z.object({
  // A code outside this shape cannot exist: the customer reads the same plain sentence as for an unknown one.
  code: z.string().trim().min(3, NO_SUCH_CODE).max(40, NO_SUCH_CODE).regex(/^[A-Za-z0-9_-]+$/, NO_SUCH_CODE),
});

/** `GET /api/cart` query: an optional shipping method to include its price. */
export const CartQuery = z.object({ shippingMethodId: ShippingMethodId.optional() });

/** One cart line, priced by the server. */
export const CartLine = LineItem.extend({
  /** The variant's picture (its own, else the product's first), for a thumbnail; null without any. */
  imageUrl: z.string().nullable(),
  /** Units that can still be ordered (stock now). */
  availableQuantity: z.int(),
}).meta({ id: 'CartLine' });
export type CartLine = z.infer<typeof CartLine>;

/** The cart as the API shows it: priced from PostgreSQL on every read. */
export const Cart = z
  .object({
    items: z.array(CartLine),
    subtotalCents: Money,
    discountCents: Money,
    shippingCents: Money.optional(),
    vatCents: Money,
    totalCents: Money,
    currency: z.literal('EUR'),
    discountCode: z.string().optional(),
    /** Why the code gives no discount right now. */
    discountMessage: z.string().optional(),
  })
  .meta({ id: 'Cart' });
export type Cart = z.infer<typeof Cart>;
