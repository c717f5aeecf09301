import { z } from 'zod';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * Every abuse limit of the shop, by the environment variable that overrides it, with its default
 * (README "Security", `.env.example`). Counters live in Redis, shared by every API process.
 */
export const LimitsEnv = {
  /** Units of one variant in a cart line or order line, unless the variant sets its own `max_per_order`. */
  LIMIT_LINE_QUANTITY: count(99).default(10),
  /** Orders one session or customer, or one e-mail address, may place within the payment window. */
  LIMIT_UNPAID_ORDERS: count(100).default(3),
  /** Units those orders may hold together. */
  LIMIT_HELD_UNITS: count(10_000).default(30),
  /** Orders one client IP may place within the payment window (shared addresses: larger). */
  LIMIT_UNPAID_ORDERS_PER_IP: count(1_000).default(10),
  /** Units those orders may hold together. */
  LIMIT_HELD_UNITS_PER_IP: count(100_000).default(100),
  /** How long a guest's unpaid order keeps its stock (customers: ORDER_PAYMENT_TTL_MINUTES; Stripe: at least 30). */
  GUEST_ORDER_PAYMENT_TTL_MINUTES: count(24 * 60).default(15),
  /** Cart changes per session per minute. */
  RATE_CART_WRITES_PER_MINUTE: count(100_000).default(60),
  /** Cart changes per client IP per minute. */
  RATE_CART_WRITES_PER_MINUTE_PER_IP: count(1_000_000).default(600),
  /** Checkout attempts per session per hour. */
  RATE_CHECKOUTS_PER_HOUR: count(100_000).default(20),
  /** Checkout attempts per client IP per hour. */
  RATE_CHECKOUTS_PER_HOUR_PER_IP: count(1_000_000).default(200),
  /** Refused discount codes per session per hour. */
  RATE_DISCOUNT_FAILURES_PER_HOUR: count(10_000).default(10),
  /** Refused discount codes per client IP per hour. */
  RATE_DISCOUNT_FAILURES_PER_HOUR_PER_IP: count(100_000).default(30),
  /** Order e-mails one address may receive per day (more are dropped and logged). */
  MAIL_PER_ADDRESS_PER_DAY: count(10_000).default(10),
  /** Order e-mails one session or customer may cause per day. */
  MAIL_PER_SESSION_PER_DAY: count(10_000).default(10),
};

/** The shop's abuse limits, parsed from the environment. */
export type Limits = { readonly [K in keyof typeof LimitsEnv]: z.infer<(typeof LimitsEnv)[K]> };

/** The defaults, for tests and tools that build an app without an environment. */
export const DEFAULT_LIMITS: Limits = Object.freeze(z.object(LimitsEnv).parse({}));

/** The limits named in `source` (e.g. the parsed config), the defaults for the others. */
export function limitsFrom(source: Partial<Limits>): Limits {
  const picked = Object.fromEntries(Object.keys(LimitsEnv).flatMap((name) => (name in source ? [[name, source[name as keyof Limits]]] : [])));
  return Object.freeze({ ...DEFAULT_LIMITS, ...picked });
}
