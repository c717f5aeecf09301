import express, { Router } from 'express';
import { idempotencyKey } from '../idempotency/service.js';
import { parse } from '../../http/validate.js';
import { PaymentOrderParams, PaymentQuery, TestConfirmRequest } from '@girlycrea/contract';
import { handleStripeWebhook } from './events.js';
import * as payments from './service.js';

/** `GET /api/payments/providers` and `POST /api/payments/test/:orderId/confirm` (the dev/CI stand-in), mounted after session and CSRF. */
export function paymentRoutes(deps: payments.PaymentsDeps): Router {
  const router = Router();

  router.get('/payments/providers', (_req, res) => {
    res.json({ providers: payments.listProviders(deps) });
  });

  router.post('/payments/test/:orderId/confirm', async (req, res) => {
    const { orderId } = parse(PaymentOrderParams, req.params);
    const { token } = parse(PaymentQuery, req.query);
    const body = parse(TestConfirmRequest, req.body);
    const viewer = { userId: req.session?.data.userId ?? null, sessionId: req.session?.id ?? null, token: token ?? null };
    const result = await payments.confirmTestPayment(deps, { orderId, key: idempotencyKey(req), viewer, ...body });
    res.status(result.statusCode).json(result.body);
  });

  return router;
}

/** `POST /api/payments/stripe/webhook`, mounted at that path BEFORE express.json, because the signature covers the raw bytes. */
export function stripeWebhookRoutes(deps: payments.PaymentsDeps): Router {
  const router = Router();
  router.post('/', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.json(await handleStripeWebhook(deps, raw, req.get('stripe-signature')));
  });
  return router;
}
