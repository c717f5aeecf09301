import { Router, type Request, type Response } from 'express';
import type { CachedResponse } from '@girlycrea/cache';
import { CATALOG_CACHE_CONTROL, sendCached } from '../../http/cached-response.js';
import type { CatalogFastPath } from './fast-path.js';
import { parse } from '../../http/validate.js';
import { MediaParams, ProductListQuery, ProductSlugParams } from './schema.js';
import * as catalog from './service.js';

/** Public catalog routes: categories, product list and page, product images. */
export function catalogRoutes(deps: catalog.CatalogDeps & { fastPath: CatalogFastPath }): Router {
  const router = Router();
  // Every answer sent here is also kept in-process, so the next identical request skips Express.
  const send = (req: Request, res: Response, route: string, cached: CachedResponse) => {
    sendCached(req, res, cached);
    deps.fastPath.remember(req.originalUrl, route, cached, CATALOG_CACHE_CONTROL);
  };

  router.get('/categories', async (req, res) => {
    send(req, res, '/api/categories', await catalog.listCategories(deps));
  });

  router.get('/products', async (req, res) => {
    send(req, res, '/api/products', await catalog.listProducts(deps, parse(ProductListQuery, req.query)));
  });

  router.get('/products/:slug', async (req, res) => {
    send(req, res, '/api/products/:slug', await catalog.getProduct(deps, parse(ProductSlugParams, req.params).slug));
  });

  router.get('/media/*path', async (req, res) => {
    const media = await catalog.getMedia(deps, parse(MediaParams, req.params).path);
    res
      .type(media.contentType)
      .setHeader('Cache-Control', 'public, max-age=86400')
      // An SVG opened directly must not be able to run script.
      .setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(media.body);
  });

  return router;
}
