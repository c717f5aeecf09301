import type { Response } from 'express';
import type { CheckoutFailureReason, Metrics, ObservedResponse } from '@girlycrea/observability/metrics';
import type { ErrorCode } from '@girlycrea/contract';

// Error codes a checkout can fail with, folded into the metric's closed set of reasons.
const CHECKOUT_REASON: Partial<Record<ErrorCode, CheckoutFailureReason>> = {
  out_of_stock: 'out_of_stock',
  cart_empty: 'cart_empty',
  discount_invalid: 'discount_invalid',
  invalid_request: 'validation',
};

/** The error code the error middleware answered with (it records it in res.locals). */
function errorCodeOf(res: ObservedResponse['res']): ErrorCode | undefined {
  return ((res as Partial<Response>).locals as { errorCode?: ErrorCode } | undefined)?.errorCode;
}

/**
 * Business counters decided by a request's outcome (route template, status and error code), given to
 * httpMetrics' onResponse: failed checkouts by reason, refused sign-ins, rate-limit rejections, cart adds.
 * Labels come from closed sets and route templates only, never from the URL.
 */
export function countRequestOutcome(metrics: Metrics): (response: ObservedResponse) => void {
  return ({ method, route, status, res }) => {
    if (status === 429) metrics.rateLimitRejections.inc({ route });
    if (method !== 'POST') return;
    if (route === '/api/checkout' && status >= 400 && status !== 499) {
      const code = errorCodeOf(res);
      metrics.checkoutFailures.inc({ reason: (code && CHECKOUT_REASON[code]) ?? 'other' });
    } else if (route === '/api/auth/login' && errorCodeOf(res) === 'invalid_credentials') {
      metrics.loginFailures.inc();
    } else if (route === '/api/cart/items' && status >= 200 && status < 300) {
      metrics.cartAdds.inc();
    }
  };
}
