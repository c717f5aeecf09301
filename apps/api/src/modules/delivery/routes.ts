import { Router } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { limit } from '../../http/rate-limit.js';
import { parse } from '../../http/validate.js';
import { RelayPointQuery } from '@girlycrea/contract';
import { searchRelayPoints, type DeliveryDeps } from './service.js';

/** `GET /api/relay-points`: relay points near a postal code (each search may call the carrier, hence the limit). */
export function deliveryRoutes(deps: DeliveryDeps & { cache: CacheStore }): Router {
  const router = Router();
  router.get('/relay-points', limit(deps.cache, { name: 'relay-points-ip', limit: 60, windowMs: 60_000 }), async (req, res) => {
    const items = await searchRelayPoints(deps, parse(RelayPointQuery, req.query));
    res.setHeader('Cache-Control', 'private, max-age=300').json({ items });
  });
  return router;
}
