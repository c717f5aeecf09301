// Types and decoders of the session-bound resources (cart, orders, account), shared by the
// browser client and any server code. No environment access here: this file ships to browsers.
import { asId, asInt, asObject, asString, listItems, optional } from './decode';
import { decodeRelayPoint, type RelayPoint } from './delivery';

/** One cart line, priced by the server. */
export interface CartItem {
  variantId: string;
  sku: string;
  title: string;
  /** The chosen variant ("Rose"), empty when the API does not say. */
  variantTitle: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  /** Units that can still be ordered, when the API tells (caps the + button). */
  availableQuantity: number | null;
  /** The variant's picture for a thumbnail, when it has one. */
  imageUrl: string | null;
}

/** The session's cart (`GET /api/cart`). */
export interface Cart {
  items: CartItem[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number | null;
  totalCents: number;
  vatCents: number;
  currency: string;
  discountCode: string | null;
  /** Why the code gives no discount right now, in French. */
  discountMessage: string | null;
}

/** A shipping option (`GET /api/shipping-methods`). */
export interface ShippingMethod {
  id: string;
  name: string;
  priceCents: number;
  /** Free above this cart amount, when set. */
  freeOverCents: number | null;
  /** home: at the address; relay: at a relay point chosen at checkout; pickup: at the workshop. */
  kind: 'home' | 'relay' | 'pickup';
  /** The carrier needs a phone number for its delivery notices. */
  requiresPhone: boolean;
}

/** One line of an order. */
export interface OrderLine {
  /** Null once the variant no longer exists. */
  variantId: string | null;
  title: string;
  variantTitle: string;
  sku: string | null;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'preparing' | 'shipped' | 'delivered' | 'payment_failed' | 'cancelled' | 'refunded';

/** An order as the API shows it to its customer. */
export interface Order {
  id: string;
  number: string;
  status: OrderStatus | string;
  lines: OrderLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  vatCents: number;
  totalCents: number;
  currency: string;
  email: string;
  createdAt: string;
  /** The customer's address (and phone); a relay order goes to `relayPoint` instead. */
  shippingAddress: (AddressFields & { phone: string | null }) | null;
  shippingMethod: { id: string; name: string } | null;
  relayPoint: RelayPoint | null;
}

/** What `POST /api/checkout` answers. */
export interface CheckoutResult {
  order: Order;
  /** The order's secret tracking token (as in the confirmation e-mail's link). */
  accessToken: string | null;
  /** `redirectUrl`: Stripe's hosted payment page, where the browser goes next. */
  payment: { provider: string | null; status: string | null; redirectUrl: string | null };
}

/** A payment provider the API offers for checkout. */
export type PaymentProvider = 'test' | 'stripe';

/** A signed-in customer. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  /** The address was confirmed by the e-mailed link. */
  emailVerified: boolean;
}

/** A postal address (checkout and address book). */
export interface AddressFields {
  name: string;
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: string;
}

/** A saved address of the customer. */
export interface Address extends AddressFields {
  id: string;
  phone: string | null;
  isDefault: boolean;
}

/** Body of `POST /api/checkout`. */
export interface CheckoutRequest {
  email: string;
  shippingAddress: AddressFields & { phone?: string };
  shippingMethodId: string;
  /** For relay delivery: the point chosen from `GET /api/relay-points`. */
  relayPointId?: string;
  paymentProvider: PaymentProvider;
  /** The total (shipping included) the customer was shown: if prices changed since, the API answers 409 price_changed. */
  expectedTotalCents?: number;
}

const num = (value: unknown, what: string, fallback = 0): number => optional(value, asInt, what) ?? fallback;

/** Validates a cart body. */
export function decodeCart(data: unknown): Cart {
  const o = asObject(data, 'cart');
  return {
    items: listItems(o.items ?? [], 'cart.items').map((value, i) => {
      const at = `cart.items[${i}]`;
      const item = asObject(value, at);
      const quantity = asInt(item.quantity, `${at}.quantity`);
      const unitPriceCents = asInt(item.unitPriceCents, `${at}.unitPriceCents`);
      return {
        variantId: asId(item.variantId, `${at}.variantId`),
        sku: typeof item.sku === 'string' ? item.sku : '',
        title: asString(item.title, `${at}.title`),
        variantTitle: typeof item.variantTitle === 'string' ? item.variantTitle : '',
        quantity,
        unitPriceCents,
        lineTotalCents: num(item.lineTotalCents, `${at}.lineTotalCents`, unitPriceCents * quantity),
        availableQuantity: optional(item.availableQuantity, asInt, `${at}.availableQuantity`),
        imageUrl: typeof item.imageUrl === 'string' ? item.imageUrl : null,
      };
    }),
    subtotalCents: num(o.subtotalCents, 'cart.subtotalCents'),
    discountCents: num(o.discountCents, 'cart.discountCents'),
    shippingCents: optional(o.shippingCents, asInt, 'cart.shippingCents'),
    totalCents: num(o.totalCents, 'cart.totalCents'),
    vatCents: num(o.vatCents, 'cart.vatCents'),
    currency: typeof o.currency === 'string' ? o.currency : 'EUR',
    discountCode: optional(o.discountCode, asString, 'cart.discountCode'),
    discountMessage: optional(o.discountMessage, asString, 'cart.discountMessage'),
  };
}

/** Validates a shipping-methods body. */
export function decodeShippingMethods(data: unknown): ShippingMethod[] {
  return listItems(data, 'shippingMethods').map((value, i) => {
    const o = asObject(value, `shippingMethods[${i}]`);
    return {
      id: asId(o.id, 'shippingMethod.id'),
      name: asString(o.name, 'shippingMethod.name'),
      priceCents: asInt(o.priceCents, 'shippingMethod.priceCents'),
      freeOverCents: optional(o.freeOverCents, asInt, 'shippingMethod.freeOverCents'),
      kind: o.kind === 'relay' || o.kind === 'pickup' ? o.kind : 'home',
      requiresPhone: o.requiresPhone === true,
    };
  });
}

/** Validates an order (bare, or wrapped as `{ order }`). */
export function decodeOrder(data: unknown): Order {
  const wrapper = asObject(data, 'order');
  const o = 'order' in wrapper && typeof wrapper.order === 'object' ? asObject(wrapper.order, 'order') : wrapper;
  return {
    id: asId(o.id, 'order.id'),
    number: asString(o.number, 'order.number'),
    status: asString(o.status, 'order.status'),
    lines: listItems(o.lines ?? [], 'order.lines').map((value, i) => {
      const at = `order.lines[${i}]`;
      const line = asObject(value, at);
      const quantity = asInt(line.quantity, `${at}.quantity`);
      const unitPriceCents = asInt(line.unitPriceCents, `${at}.unitPriceCents`);
      return {
        variantId: optional(line.variantId, asId, `${at}.variantId`),
        title: asString(line.title, `${at}.title`),
        variantTitle: typeof line.variantTitle === 'string' ? line.variantTitle : '',
        sku: typeof line.sku === 'string' ? line.sku : null,
        quantity,
        unitPriceCents,
        lineTotalCents: num(line.lineTotalCents, `${at}.lineTotalCents`, unitPriceCents * quantity),
      };
    }),
    subtotalCents: num(o.subtotalCents, 'order.subtotalCents'),
    discountCents: num(o.discountCents, 'order.discountCents'),
    shippingCents: num(o.shippingCents, 'order.shippingCents'),
    vatCents: num(o.vatCents, 'order.vatCents'),
    totalCents: asInt(o.totalCents, 'order.totalCents'),
    currency: typeof o.currency === 'string' ? o.currency : 'EUR',
    email: typeof o.email === 'string' ? o.email : '',
    createdAt: typeof o.createdAt === 'string' ? o.createdAt : '',
    shippingAddress: o.shippingAddress ? decodeShippingAddress(o.shippingAddress) : null,
    shippingMethod: optional(o.shippingMethod, decodeMethodRef, 'order.shippingMethod'),
    relayPoint: optional(o.relayPoint, decodeRelayPoint, 'order.relayPoint'),
  };
}

function decodeMethodRef(value: unknown, what: string): { id: string; name: string } {
  const m = asObject(value, what);
  return { id: asId(m.id, `${what}.id`), name: asString(m.name, `${what}.name`) };
}

function decodeShippingAddress(value: unknown): AddressFields & { phone: string | null } {
  const a = asObject(value, 'order.shippingAddress');
  return {
    name: asString(a.name, 'order.shippingAddress.name'),
    line1: asString(a.line1, 'order.shippingAddress.line1'),
    ...(typeof a.line2 === 'string' ? { line2: a.line2 } : {}),
    postalCode: asString(a.postalCode, 'order.shippingAddress.postalCode'),
    city: asString(a.city, 'order.shippingAddress.city'),
    country: asString(a.country, 'order.shippingAddress.country'),
    phone: optional(a.phone, asString, 'order.shippingAddress.phone'),
  };
}

/** Validates a list of orders. */
export function decodeOrders(data: unknown): Order[] {
  return listItems(data, 'orders').map(decodeOrder);
}

/** Validates a `POST /api/checkout` body. */
export function decodeCheckoutResult(data: unknown): CheckoutResult {
  const o = asObject(data, 'checkout');
  const payment = o.payment === undefined || o.payment === null ? {} : asObject(o.payment, 'checkout.payment');
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    order: decodeOrder(o.order),
    accessToken: typeof o.accessToken === 'string' ? o.accessToken : null,
    payment: { provider: text(payment.provider), status: text(payment.status), redirectUrl: text(payment.redirectUrl) },
  };
}

/** Validates a `GET /api/payments/providers` body, keeping the providers this storefront knows. */
export function decodePaymentProviders(data: unknown): PaymentProvider[] {
  const list = asObject(data, 'body').providers;
  if (!Array.isArray(list)) throw new Error('providers: liste attendue');
  return list.filter((name): name is PaymentProvider => name === 'test' || name === 'stripe');
}

/** Validates a `{ user }` body. */
export function decodeUser(data: unknown): User {
  const u = asObject(asObject(data, 'body').user, 'user');
  return {
    id: asId(u.id, 'user.id'),
    email: asString(u.email, 'user.email'),
    name: asString(u.name, 'user.name'),
    role: asString(u.role, 'user.role'),
    emailVerified: u.emailVerified === true,
  };
}

/** Validates one saved address. */
export function decodeAddress(data: unknown): Address {
  const o = asObject(data, 'address');
  return {
    id: asId(o.id, 'address.id'),
    name: asString(o.name, 'address.name'),
    line1: asString(o.line1, 'address.line1'),
    ...(typeof o.line2 === 'string' ? { line2: o.line2 } : {}),
    postalCode: asString(o.postalCode, 'address.postalCode'),
    city: asString(o.city, 'address.city'),
    country: asString(o.country, 'address.country'),
    phone: optional(o.phone, asString, 'address.phone'),
    isDefault: o.isDefault === true,
  };
}

/** Validates a `{ items: Address[] }` body. */
export function decodeAddresses(data: unknown): Address[] {
  return listItems(data, 'addresses').map(decodeAddress);
}

/** Number of articles in a cart (sum of quantities). */
export function cartCount(cart: Cart | null): number {
  return cart ? cart.items.reduce((sum, item) => sum + item.quantity, 0) : 0;
}

/** French label of an order status. */
export function orderStatusLabel(status: string): string {
  const labels: Record<string, string> = {
    pending_payment: 'En attente de paiement',
    paid: 'Payée',
    preparing: 'En préparation',
    shipped: 'Expédiée',
    delivered: 'Livrée',
    payment_failed: 'Paiement refusé',
    cancelled: 'Annulée',
    refunded: 'Remboursée',
  };
  return labels[status] ?? status;
}
