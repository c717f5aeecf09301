import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import type { CacheStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import { checkHealth } from './service.js';

/** `GET /api/health`: 200 when PostgreSQL and Redis answer, 503 naming the one that does not. */
export function healthRoutes(deps: { db: Pool; cache: CacheStore; release?: string | undefined }): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const report = await checkHealth(deps);
    res
      .status(report.status === 'ok' ? 200 : 503)
      .setHeader('Cache-Control', 'no-store')
      .json(report);
  });
  return router;
}

const Check = z.enum(['ok', 'down']);
const HealthReport = z
  .object({ status: z.enum(['ok', 'error']), checks: z.object({ db: Check, redis: Check }), release: z.string() })
  .meta({ id: 'HealthReport' });

/** Documents the health route. */
export function registerHealthOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/health',
    summary: 'État de l’API et de ses dépendances',
    responses: {
      200: { description: 'Tout répond', content: { 'application/json': { schema: HealthReport } } },
      503: { description: 'Une dépendance est injoignable', content: { 'application/json': { schema: HealthReport } } },
    },
  });
}
