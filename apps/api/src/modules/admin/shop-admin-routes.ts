import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { SessionStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import { z } from 'zod';
import { ErrorBody } from '@girlycrea/contract';
import { parse } from '../../http/validate.js';
import { IdParams } from './catalog-schema.js';
import { actorOf } from './guard.js';
import * as shopAdmin from './shop-admin.js';

/** `GET /api/admin/customers`. */
export const CustomerQuery = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Adds the dashboard, failed e-mail retry, customer and GDPR routes to the gated admin router. */
export function addShopAdminRoutes(router: Router, deps: { db: Pool; sessions: SessionStore }): void {
  router.get('/dashboard', async (_req, res) => {
    res.json(await shopAdmin.getDashboard(deps.db));
  });

  router.post('/emails/:id/retry', async (req, res) => {
    await shopAdmin.retryEmail(deps.db, actorOf(res), parse(IdParams, req.params).id);
    res.status(204).end();
  });

  router.get('/customers', async (req, res) => {
    res.json(await shopAdmin.listCustomers(deps.db, parse(CustomerQuery, req.query)));
  });

  router.get('/customers/:id', async (req, res) => {
    res.json(await shopAdmin.getCustomer(deps.db, parse(IdParams, req.params).id));
  });

  router.get('/customers/:id/export', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.setHeader('Content-Disposition', `attachment; filename="donnees-cliente-${id}.json"`).json(await shopAdmin.exportCustomer(deps.db, id));
  });

  router.post('/customers/:id/erase', async (req, res) => {
    await shopAdmin.eraseCustomer(deps.db, deps.sessions, actorOf(res), parse(IdParams, req.params).id);
    res.status(204).end();
  });
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const GATE = { 401: error('Non connecté'), 403: error('Pas administratrice, ou double authentification non validée') } as const;

/** Documents the dashboard, e-mail retry and customer routes. */
export function registerAdminShopOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  const Sales = z.object({ orders: z.int(), revenueCents: z.int() });
  path({
    method: 'get', path: '/api/admin/dashboard', summary: 'Tableau de bord : ventes du jour et du mois, commandes à expédier, stock bas, e-mails en échec',
    responses: {
      200: json(
        z.object({
          today: Sales,
          month: Sales,
          toShip: z.int(),
          lowStock: z.array(z.object({ variantId: z.uuid(), productId: z.uuid(), sku: z.string(), title: z.string(), stock: z.int(), threshold: z.int() })),
          failedEmails: z.array(z.object({ id: z.uuid(), template: z.string(), to: z.string(), lastError: z.string().nullable(), createdAt: z.string() })),
        }),
        'Les chiffres',
      ),
      ...GATE,
    },
  });
  path({
    method: 'post', path: '/api/admin/emails/{id}/retry', summary: 'Renvoyer un e-mail en échec', request: { params: IdParams },
    responses: { 204: { description: 'Remis dans la file d’envoi' }, 400: error('Identifiant invalide'), 404: error('E-mail introuvable'), 409: error('Cet e-mail n’est pas en échec'), ...GATE },
  });
  path({
    method: 'get', path: '/api/admin/customers', summary: 'Clientes : recherche par e-mail ou nom', request: { query: CustomerQuery },
    responses: {
      200: json(z.object({ items: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string(), orders: z.int(), createdAt: z.string() })), page: z.int(), limit: z.int(), total: z.int() }), 'Une page'),
      400: error('Filtre invalide'),
      ...GATE,
    },
  });
  path({
    method: 'get', path: '/api/admin/customers/{id}', summary: 'Une cliente : compte, adresses, commandes', request: { params: IdParams },
    responses: {
      200: json(
        z.object({
          customer: z.object({ id: z.uuid(), email: z.string(), name: z.string(), createdAt: z.string(), emailVerifiedAt: z.string().nullable() }),
          addresses: z.array(
            z.object({ id: z.uuid(), name: z.string(), line1: z.string(), line2: z.string().nullable(), postalCode: z.string(), city: z.string(), country: z.string(), phone: z.string().nullable(), isDefault: z.boolean() }),
          ),
          orders: z.array(z.object({ id: z.uuid(), number: z.string(), status: z.string(), totalCents: z.int(), createdAt: z.string() })),
        }),
        'La cliente',
      ),
      400: error('Identifiant invalide'),
      404: error('Cliente introuvable'),
      ...GATE,
    },
  });
  path({
    method: 'get', path: '/api/admin/customers/{id}/export', summary: 'RGPD : toutes les données d’une cliente (JSON)', request: { params: IdParams },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'Compte, adresses, commandes'), 400: error('Identifiant invalide'), 404: error('Cliente introuvable'), ...GATE },
  });
  path({
    method: 'post', path: '/api/admin/customers/{id}/erase', summary: 'RGPD : effacer une cliente (anonymisation ; commandes gardées pour la comptabilité)', request: { params: IdParams },
    responses: { 204: { description: 'Effacée' }, 400: error('Identifiant invalide'), 404: error('Cliente introuvable'), ...GATE },
  });
}
