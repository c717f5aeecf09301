import { z } from 'zod';

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
