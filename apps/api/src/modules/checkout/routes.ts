import { Router } from 'express';
import { byIp, bySession, limit } from '../../http/rate-limit.js';
import { parse } from '../../http/validate.js';
import { cartOwner } from '../cart/store.js';
import { carrierOf } from '../delivery/carriers.js';
import { isOffered } from '../delivery/service.js';
import { idempotencyKey } from '../idempotency/service.js';
import { listShippingMethods } from './quote.js';
import { CheckoutRequest } from '@girlycrea/contract';
import * as checkout from './service.js';

const HOUR = 3_600_000;
const tooManyCheckouts = (seconds: number) => `Trop de tentatives de commande : réessayez dans ${Math.ceil(seconds / 60)} min.`;

/** Shipping methods and `POST /api/checkout` (needs a session, its CSRF token and an Idempotency-Key; limited per session and per IP). */
export function checkoutRoutes(deps: checkout.CheckoutDeps): Router {
  const router = Router();
  const limits = [
    limit(deps.cache, { name: 'checkout-session', limit: deps.limits.RATE_CHECKOUTS_PER_HOUR, windowMs: HOUR, key: bySession, message: tooManyCheckouts }),
    limit(deps.cache, { name: 'checkout-ip', limit: deps.limits.RATE_CHECKOUTS_PER_HOUR_PER_IP, windowMs: HOUR, message: tooManyCheckouts }),
  ];

  router.get('/shipping-methods', async (_req, res) => {
    const methods = (await listShippingMethods(deps.db))
      .filter((method) => isOffered(deps, method.id))
      .map((method) => {
        const { kind, requiresPhone } = carrierOf(method.id);
        return { ...method, kind, requiresPhone };
      });
    // Asked again each time (a few rows): a method the owner disables leaves the checkout page at once.
    res.setHeader('Cache-Control', 'private, no-cache').json(methods);
  });

  router.post('/checkout', ...limits, async (req, res) => {
    const owner = cartOwner(req);
    const key = idempotencyKey(req);
    const request = parse(CheckoutRequest, req.body);
    const result = await checkout.checkout(deps, { owner, userId: req.session?.data.userId ?? null, ipKey: byIp(req) }, key, request);
    res.status(result.statusCode).setHeader('Cache-Control', 'no-store').json(result.body);
  });

  return router;
}
