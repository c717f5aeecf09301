import express, { type Express } from 'express';
import helmet from 'helmet';
import type { CacheStore, ResponseCache } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import type { Logger } from '@girlycrea/observability/logger';
import type { Config } from './config.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { requestContext } from './http/request-context.js';
import { registerCatalogOpenApi } from './modules/catalog/openapi.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { healthRoutes, registerHealthOpenApi } from './modules/health/routes.js';

/** Everything the API needs, built by main.ts (or a test) and passed in. */
export interface AppDeps {
  config: Pick<Config, 'TRUST_PROXY'>;
  db: Pool;
  cache: CacheStore;
  responseCache: ResponseCache;
  logger: Logger;
}

/** Builds the Express app without listening; the only place where routes and middleware are wired. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Catalog responses carry their own precomputed ETag.
  app.set('etag', false);
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(
    helmet({
      // The API serves JSON and images only: nothing may load or frame it.
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  app.use(express.json({ limit: '100kb' }));

  const openApi = buildOpenApiDocument([registerHealthOpenApi, registerCatalogOpenApi]);
  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });
  app.use('/api', healthRoutes(deps));
  app.use('/api', catalogRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
