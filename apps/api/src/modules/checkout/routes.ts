import { Router } from 'express';
import { parse } from '../../http/validate.js';
import { cartOwner } from '../cart/store.js';
import { carrierOf } from '../delivery/carriers.js';
import { isOffered } from '../delivery/service.js';
import { idempotencyKey } from './idempotency.js';
import { listShippingMethods } from './quote.js';
import { CheckoutRequest } from './schema.js';
import * as checkout from './service.js';

/** Shipping methods and `POST /api/checkout` (needs a session, its CSRF token and an Idempotency-Key). */
export function checkoutRoutes(deps: checkout.CheckoutDeps): Router {
  const router = Router();

  router.get('/shipping-methods', async (_req, res) => {
    const methods = (await listShippingMethods(deps.db))
      .filter((method) => isOffered(deps, method.id))
      .map((method) => {
        const { kind, requiresPhone } = carrierOf(method.id);
        return { ...method, kind, requiresPhone };
      });
    res.setHeader('Cache-Control', 'private, max-age=300').json(methods);
  });

  router.post('/checkout', async (req, res) => {
    const owner = cartOwner(req);
    const key = idempotencyKey(req);
    const request = parse(CheckoutRequest, req.body);
    const result = await checkout.checkout(deps, { owner, userId: req.session?.data.userId ?? null }, key, request);
    res.status(result.statusCode).setHeader('Cache-Control', 'no-store').json(result.body);
  });

  return router;
}
