import { Router } from 'express';
import { sendCached } from '../../http/cached-response.js';
import { parse } from '../../http/validate.js';
import { MediaParams, ProductListQuery, ProductSlugParams } from '@girlycrea/contract';
import * as catalog from './service.js';

/** Public catalog routes: categories, product list and page, product images. */
export function catalogRoutes(deps: catalog.CatalogDeps): Router {
  const router = Router();

  router.get('/categories', async (req, res) => {
    sendCached(req, res, await catalog.listCategories(deps));
  });

  router.get('/products', async (req, res) => {
    sendCached(req, res, await catalog.listProducts(deps, parse(ProductListQuery, req.query)));
  });

  router.get('/products/:slug', async (req, res) => {
    sendCached(req, res, await catalog.getProduct(deps, parse(ProductSlugParams, req.params).slug));
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
