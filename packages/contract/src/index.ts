// The shop API's contract: request and response schemas (zod), error codes and the limits both sides
// enforce. The API validates with it and builds its OpenAPI document from it; the storefront decodes
// the API's answers with it, server and browser side.
// One file on purpose: Next's bundler does not map the `.js` of relative ESM imports to `.ts`
// sources, and the storefront compiles this source directly.
import { z } from 'zod';

// In a browser the storefront's Content-Security-Policy has no 'unsafe-eval': zod's compiled
// parsers are off there, and so is its `new Function` probe, which Chromium reports as a
// violation even though zod catches it. Servers keep the compiled parsers.
if ('window' in globalThis) z.config({ jitless: true });

/** An amount in euro cents, VAT included. */
export const Money = z.int().min(0).meta({ description: 'Centimes d’euro, TVA incluse' });

/** Free text a customer types: trimmed, non-empty, at most `max` characters, no control characters. */
export const Text = (max: number) =>
  z
    .string('texte attendu')
    .trim()
    .min(1, 'obligatoire')
    .max(max, `${max} caractères au plus`)
    .refine((value) => !/\p{Cc}/u.test(value), 'caractères de contrôle interdits');

/** A URL slug: lower-case words joined by dashes. */
export const Slug = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug invalide (minuscules, chiffres et tirets)');

/** A secret token of a link (e-mail confirmation, password reset, guest order tracking): 32 random bytes, base64url. */
export const LinkToken = (message: string) => z.string().regex(/^[A-Za-z0-9_-]{43}$/, message);

/** An ISO 2-letter country code, upper-cased. */
export const CountryCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres');

/** `?page=&limit=` of a paginated list. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** One page of `item`: the list envelope of every paginated answer. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), page: z.int(), limit: z.int(), total: z.int() });

/** Every error code the API can answer with (its status is the API's `src/http/errors.ts`). */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_token',
  'unauthorized',
  'invalid_credentials',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'email_taken',
  /** Checkout of an empty cart. */
  'cart_empty',
  /** Not enough stock for a cart line or an order; `details` lists the variants short. */
  'out_of_stock',
  /** An Idempotency-Key reused with another request body. */
  'idempotency_conflict',
  /** The order's status does not allow this change (e.g. paying an expired order). */
  'invalid_state',
  /** A discount code that is unknown, expired, used up (overall or by this buyer) or below its minimum. */
  'discount_invalid',
  /** The checkout's `expectedTotalCents` differs from the total now; `details.totalCents` is the new one. */
  'price_changed',
  /** A payment provider webhook whose signature does not verify. */
  'invalid_signature',
  'payload_too_large',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;
/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The JSON error body of every 4xx/5xx answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `details` of a 400 `invalid_request`: one entry per invalid field, `path` dotted (`shippingAddress.city`). */
export const FieldIssues = z.array(z.object({ path: z.string(), message: z.string() }));
export type FieldIssues = z.infer<typeof FieldIssues>;

/** `details` of a 409 `out_of_stock`: each variant short, how many were asked for and how many are left. */
export const StockShortages = z.array(z.object({ variantId: z.string(), sku: z.string().optional(), requested: z.int(), available: z.int() }));
export type StockShortages = z.infer<typeof StockShortages>;

// What a parcel label needs, nothing more: no digits in a name, no ':', '!', '@' or links anywhere,
// so a field cannot carry a message ("Votre compte sera suspendu : appelez le 06…").
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const STREET = /^[\p{L}\p{M}\d][\p{L}\p{M}\d ,'’./°#()-]*$/u;
const CITY = /^[\p{L}\p{M}][\p{L}\p{M}\d '’.()-]*$/u;
const Restricted = (max: number, pattern: RegExp, what: string) => Text(max).pipe(z.string().regex(pattern, what));
const Street = Restricted(120, STREET, 'lettres, chiffres, espaces et , . / ° # ( ) - uniquement');

/** The lines of a postal address as a customer types them (checkout and address book alike). */
export const AddressLinesInput = z.object({
  name: Restricted(80, NAME, 'lettres, espaces, apostrophes, points et tirets uniquement'),
  line1: Street,
  line2: Street.optional(),
  postalCode: z.string('code postal attendu').trim().regex(/^[A-Za-z0-9 -]{3,10}$/, 'code postal invalide'),
  city: Restricted(80, CITY, 'lettres, chiffres, espaces, apostrophes, points et tirets uniquement'),
  country: CountryCode,
});
export type AddressLinesInput = z.input<typeof AddressLinesInput>;

/** The lines of a postal address as the API answers them. */
export const AddressLines = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});
export type AddressLines = z.infer<typeof AddressLines>;

/** A delivery address as the order keeps it. */
export const ShippingAddress = AddressLines.extend({
  /** E.164 (`+33612345678`), for the carrier's delivery notices. */
  phone: z.string().optional(),
}).meta({ id: 'ShippingAddress' });
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** A saved address of the customer's address book. */
export const Address = z
  .object({ id: z.uuid(), ...ShippingAddress.shape, isDefault: z.boolean() })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;

/** What every line of a cart or an order says: the variant, its titles, quantity and prices. */
export const LineItem = z.object({
  variantId: z.uuid(),
  sku: z.string(),
  title: z.string(),
  variantTitle: z.string(),
  quantity: z.int(),
  unitPriceCents: Money,
  lineTotalCents: Money,
});

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

/** Longest password accepted: bounds hashing cost so a huge input cannot tie up the CPU. */
export const MAX_PASSWORD_LENGTH = 128;

/** An e-mail address, normalised (trimmed, lower case) so comparisons ignore case. */
export const Email = z
  .string('adresse e-mail attendue')
  .trim()
  .max(254)
  .pipe(z.email('adresse e-mail invalide'))
  .transform((value) => value.toLowerCase());

// Strength rules are checked by the API (they need the e-mail); here only the hard bounds.
const Password = z.string().min(1, 'obligatoire').max(MAX_PASSWORD_LENGTH);

/** `POST /api/auth/register`. */
export const RegisterRequest = z.object({ email: Email, password: Password, name: Text(120) });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** `POST /api/auth/login`. */
export const LoginRequest = z.object({ email: Email, password: Password });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `POST /api/auth/password-reset`. */
export const PasswordResetRequest = z.object({ email: Email });

/** `POST /api/auth/password-reset/confirm`. */
export const PasswordResetConfirm = z.object({ token: LinkToken('lien invalide'), password: Password });
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirm>;

/** `POST /api/auth/verify-email`: the token of the link sent by e-mail. */
export const VerifyEmailRequest = z.object({ token: LinkToken('lien invalide') });

/** A signed-in customer as the API shows it. */
export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['customer', 'admin']),
    /** The address was confirmed by the e-mailed link: orders placed with it as a guest are listed too. */
    emailVerified: z.boolean(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** `{ user }`: the answer of sign-in, sign-up, e-mail confirmation and `GET /api/me`. */
export const UserBody = z.object({ user: User });

/** `{ message }`: an accepted request whose outcome is told by e-mail. */
export const MessageBody = z.object({ message: z.string() });

/** `GET /api/csrf` answer. */
export const CsrfBody = z.object({ token: z.string() });

const AddressFields = AddressLinesInput.extend({
  phone: z.string().trim().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro invalide').optional(),
  isDefault: z.boolean(),
});

/** `POST /api/me/addresses`. */
export const AddressInput = AddressFields.extend({
  country: AddressFields.shape.country.default('FR'),
  isDefault: AddressFields.shape.isDefault.default(false),
});
export type AddressInput = z.infer<typeof AddressInput>;
/** The body a client sends to `POST /api/me/addresses` (before defaults and normalisation). */
export type AddressBody = z.input<typeof AddressInput>;

// No defaults here: a field left out of a PATCH must keep its value.
/** `PATCH /api/me/addresses/:id`: any non-empty subset of the fields. */
export const AddressPatch = AddressFields.partial().refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type AddressPatch = z.infer<typeof AddressPatch>;

/** Path parameter of one address. */
export const AddressParams = z.object({ id: z.uuid('identifiant invalide') });

/** `GET /api/me/addresses` answer. */
export const AddressList = z.object({ items: z.array(Address) });

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

/** Days of the week, Monday first, as opening hours list them. */
export const WEEK_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Opening periods of one day (`09:30`–`12:30`), none when closed. */
export const OpeningDay = z.object({ day: z.enum(WEEK_DAYS), periods: z.array(z.object({ opens: Time, closes: Time })) });
export type OpeningDay = z.infer<typeof OpeningDay>;

/** A relay point as a carrier describes it; an order keeps this snapshot. */
export const RelayPoint = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{1,20}$/),
    ...AddressLines.shape,
    country: z.string().regex(/^[A-Z]{2}$/),
    /** Seven days, Monday first; a day without periods is closed. */
    openingHours: z.array(OpeningDay).length(7),
    /** From the searched postal code, when the carrier tells. */
    distanceMeters: z.int().min(0).optional(),
  })
  .meta({ id: 'RelayPoint' });
export type RelayPoint = z.infer<typeof RelayPoint>;

/** A relay point's id in a request. */
export const RelayPointId = z.string('identifiant de point relais attendu').trim().regex(/^[A-Za-z0-9-]{1,20}$/, 'point relais invalide');

/** `GET /api/relay-points` query. */
export const RelayPointQuery = z.object({
  postalCode: z.string('code postal attendu').trim().regex(/^\d{5}$/, 'code postal à 5 chiffres attendu'),
  country: CountryCode.default('FR'),
});
export type RelayPointQuery = z.infer<typeof RelayPointQuery>;

/** `GET /api/relay-points` answer. */
export const RelayPointList = z.object({ items: z.array(RelayPoint) }).meta({ id: 'RelayPointList' });

/** The payment providers a checkout can choose. */
export const PROVIDER_NAMES = ['test', 'stripe'] as const;
/** A payment provider's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** `POST /api/payments/test/:orderId/confirm`. */
export const TestConfirmRequest = z.object({ outcome: z.enum(['succeed', 'fail'], 'outcome : « succeed » ou « fail »') });
export type TestConfirmRequest = z.infer<typeof TestConfirmRequest>;

/** Path parameter naming the order to pay. */
export const PaymentOrderParams = z.object({ orderId: z.uuid('identifiant de commande invalide') });

/** `?token=` of the confirmation e-mail, for a guest paying from another browser. */
export const PaymentQuery = z.object({ token: LinkToken('jeton invalide').optional() });

/** An order's payment. */
export const Payment = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    provider: z.enum(PROVIDER_NAMES),
    status: z.enum(['pending', 'succeeded', 'failed', 'refund_pending', 'refunded']),
    amountCents: z.int().min(0),
    currency: z.literal('EUR'),
    /** A provider's browser secret, when its payment form runs on our page (none does today). */
    clientSecret: z.string().optional(),
    /** Stripe: the hosted payment page to send the customer to. */
    redirectUrl: z.url().optional(),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

/** `GET /api/payments/providers`: what a checkout may choose here. */
export const ProvidersResponse = z.object({ providers: z.array(z.enum(PROVIDER_NAMES)) }).meta({ id: 'PaymentProviders' });
export type ProvidersResponse = z.infer<typeof ProvidersResponse>;

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
