import { Router } from 'express';
import type { Pool } from '@girlycrea/db';
import { currentUser, requireUser } from '../../http/auth.js';
import { parse } from '../../http/validate.js';
import { OrderListQuery, OrderParams, OrderQuery } from '@girlycrea/contract';
import * as orders from './service.js';

/** My orders, and one order for its customer, the guest session that placed it, or `?token=`. */
export function orderRoutes(deps: { db: Pool }): Router {
  const router = Router();

  router.get('/orders', requireUser, async (req, res) => {
    const { page, limit } = parse(OrderListQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json(await orders.listOrders(deps.db, currentUser(req).id, page, limit));
  });

  router.get('/orders/:id', async (req, res) => {
    const { id } = parse(OrderParams, req.params);
    const { token } = parse(OrderQuery, req.query);
    const viewer = { userId: req.session?.data.userId ?? null, sessionId: req.session?.id ?? null, token: token ?? null };
    res.setHeader('Cache-Control', 'no-store').json(await orders.getOrderForViewer(deps.db, id, viewer));
  });

  return router;
}
