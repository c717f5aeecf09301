import type { Router } from 'express';
import { parse } from '../../http/validate.js';
import * as catalog from './catalog.js';
import { CategoryInput, CategoryPatch, IdParams, ProductInput, ProductPatch, ProductQuery, StockAdjustment, VariantInput, VariantPatch } from './catalog-schema.js';
import { actorOf } from './guard.js';

/** Adds the catalogue routes (products, variants, stock, categories) to the gated admin router. */
export function addCatalogRoutes(router: Router, deps: catalog.AdminCatalogDeps): void {
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
