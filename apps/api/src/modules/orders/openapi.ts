import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { ErrorBody, Order, OrderList, OrderListQuery, OrderParams, OrderQuery } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);

/** Documents the order routes. */
export function registerOrdersOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get', path: '/api/orders', summary: 'Mes commandes (plus récentes d’abord)', request: { query: OrderListQuery },
    responses: { 200: json(OrderList, 'Une page de commandes'), 401: error('Non connecté') },
  });
  registry.registerPath({
    method: 'get', path: '/api/orders/{id}', summary: 'Une commande : la mienne, ou celle d’un invité avec ?token= (lien de l’e-mail de confirmation)',
    request: { params: OrderParams, query: OrderQuery },
    responses: { 200: json(Order, 'La commande'), 400: error('Identifiant ou jeton mal formé'), 404: error('Commande introuvable (ou pas la vôtre)') },
  });
}
