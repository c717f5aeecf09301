import express, { type Router } from 'express';
import { AppError } from '../../http/errors.js';
import { parse } from '../../http/validate.js';
import * as catalog from './catalog.js';
import { CategoryInput, CategoryPatch, IdParams, ImageOrder, ImagePatch, ImageQuery, ProductInput, ProductPatch, ProductQuery, StockAdjustment, VariantInput, VariantPatch } from './catalog-schema.js';
import { actorOf } from './guard.js';
import { addImage, MAX_IMAGE_BYTES, reorderImages, updateImage, type ImageDeps } from './images.js';

/** Adds the catalogue routes (products, variants, stock, categories) to the gated admin router. */
export function addCatalogRoutes(router: Router, deps: catalog.AdminCatalogDeps & ImageDeps): void {
  const rawImage = express.raw({ type: () => true, limit: MAX_IMAGE_BYTES });
  // The body parser's own 413 says nothing of images: say it in the owner's words.
  const imageBody: express.RequestHandler = (req, res, next) =>
    rawImage(req, res, (error?: unknown) =>
      next((error as { type?: string } | undefined)?.type === 'entity.too.large' ? new AppError('payload_too_large', `Image trop lourde : ${MAX_IMAGE_BYTES / 1024 / 1024} Mo au plus.`) : error),
    );

  router.get('/products', async (req, res) => {
    res.json(await catalog.listProducts(deps.db, parse(ProductQuery, req.query)));
  });

  router.post('/products', async (req, res) => {
    res.status(201).json(await catalog.createProduct(deps, actorOf(res), parse(ProductInput, req.body)));
  });

  router.get('/products/:id', async (req, res) => {
    res.json(await catalog.getProduct(deps.db, parse(IdParams, req.params).id));
  });

  router.patch('/products/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await catalog.updateProduct(deps, actorOf(res), id, parse(ProductPatch, req.body)));
  });

  router.post('/products/:id/variants', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.status(201).json(await catalog.addVariant(deps, actorOf(res), id, parse(VariantInput, req.body)));
  });

  router.post('/products/:id/images', imageBody, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const { alt } = parse(ImageQuery, req.query);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new AppError('invalid_request', 'Aucune image reçue : envoyez le fichier comme corps de la requête.');
    res.status(201).json(await addImage(deps, actorOf(res), id, req.body, alt));
  });

  router.put('/products/:id/images/order', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await reorderImages(deps, actorOf(res), id, parse(ImageOrder, req.body)));
  });

  router.patch('/images/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await updateImage(deps, actorOf(res), id, parse(ImagePatch, req.body)));
  });

  router.patch('/variants/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await catalog.updateVariant(deps, actorOf(res), id, parse(VariantPatch, req.body)));
  });

  router.post('/variants/:id/stock', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await catalog.adjustStock(deps, actorOf(res), id, parse(StockAdjustment, req.body)));
  });

  router.get('/categories', async (_req, res) => {
    res.json(await catalog.listCategories(deps.db));
  });

  router.post('/categories', async (req, res) => {
    res.status(201).json(await catalog.createCategory(deps, actorOf(res), parse(CategoryInput, req.body)));
  });

  router.patch('/categories/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await catalog.updateCategory(deps, actorOf(res), id, parse(CategoryPatch, req.body)));
  });
}
