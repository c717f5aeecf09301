import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { Pool } from '@girlycrea/db';
import { z } from 'zod';
import { ErrorBody } from '@girlycrea/contract';
import { parse } from '../../http/validate.js';
import { IdParams } from './catalog-schema.js';
import { actorOf } from './guard.js';
import * as offers from './offers.js';
import { AdminDiscount, AdminShippingMethod, DiscountInput, DiscountPatch, ShippingMethodInput, ShippingMethodParams, ShippingMethodPatch } from './offers-schema.js';

/** Adds the discount code and shipping method routes to the gated admin router. */
export function addOffersRoutes(router: Router, deps: { db: Pool }): void {
  router.get('/discounts', async (_req, res) => {
    res.json(await offers.listDiscounts(deps.db));
  });

  router.post('/discounts', async (req, res) => {
    res.status(201).json(await offers.createDiscount(deps.db, actorOf(res), parse(DiscountInput, req.body)));
  });

  router.patch('/discounts/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await offers.updateDiscount(deps.db, actorOf(res), id, parse(DiscountPatch, req.body)));
  });

  router.get('/shipping-methods', async (_req, res) => {
    res.json(await offers.listShippingMethods(deps.db));
  });

  router.post('/shipping-methods', async (req, res) => {
    res.status(201).json(await offers.createShippingMethod(deps.db, actorOf(res), parse(ShippingMethodInput, req.body)));
  });

  router.patch('/shipping-methods/:id', async (req, res) => {
    const { id } = parse(ShippingMethodParams, req.params);
    res.json(await offers.updateShippingMethod(deps.db, actorOf(res), id, parse(ShippingMethodPatch, req.body)));
  });
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const GATE = { 401: error('Non connecté'), 403: error('Pas administratrice, ou double authentification non validée') } as const;

/** Documents the discount code and shipping method routes. */
export function registerAdminOffersOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  path({
    method: 'get', path: '/api/admin/discounts', summary: 'Codes promo (actifs d’abord) avec leur nombre d’utilisations',
    responses: { 200: json(z.object({ items: z.array(AdminDiscount) }), 'Les codes'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/discounts', summary: 'Créer un code promo (pourcentage 1–100 ou montant en centimes)', request: body(DiscountInput),
    responses: { 201: json(AdminDiscount, 'Code créé'), 400: error('Champ invalide (pourcentage > 100, montant négatif, fin avant début…)'), 409: error('Code déjà pris'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/discounts/{id}', summary: 'Modifier ou désactiver (active: false) un code promo', request: { params: IdParams, ...body(DiscountPatch) },
    responses: {
      200: json(AdminDiscount, 'Le code modifié'),
      400: error('Champ invalide'),
      404: error('Code introuvable'),
      409: error('Code déjà pris, ou limite d’utilisation sous le nombre d’utilisations'),
      ...GATE,
    },
  });
  path({
    method: 'get', path: '/api/admin/shipping-methods', summary: 'Modes de livraison (proposés ou non) avec leur nombre de commandes',
    responses: { 200: json(z.object({ items: z.array(AdminShippingMethod) }), 'Les modes'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/shipping-methods', summary: 'Créer un mode de livraison (prix TTC en centimes ; gratuit au-delà de freeOverCents)', request: body(ShippingMethodInput),
    responses: { 201: json(AdminShippingMethod, 'Mode créé'), 400: error('Champ invalide (prix négatif…)'), 409: error('Identifiant déjà pris'), ...GATE },
  });
  path({
    method: 'patch', path: '/api/admin/shipping-methods/{id}', summary: 'Modifier ou désactiver (active: false) un mode de livraison', request: { params: ShippingMethodParams, ...body(ShippingMethodPatch) },
    responses: { 200: json(AdminShippingMethod, 'Le mode modifié'), 400: error('Champ invalide'), 404: error('Mode introuvable'), ...GATE },
  });
}
