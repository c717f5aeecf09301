import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CheckoutRequest, CheckoutResponse, ErrorBody, ShippingMethodList } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);

/** Documents shipping methods and checkout. */
export function registerCheckoutOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get', path: '/api/shipping-methods', summary: 'Modes de livraison (gratuits au-delà de freeOverCents après remise)',
    responses: { 200: json(ShippingMethodList, 'Les modes de livraison') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/checkout',
    summary: 'Passer commande : prix, remise, port et TVA calculés par le serveur ; stock réservé jusqu’au paiement (invités 15 min, clientes 30 min, Stripe 30 min au moins) ; aucun e-mail avant le paiement',
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().min(1).max(255) }),
      body: { content: { 'application/json': { schema: CheckoutRequest } } },
    },
    responses: {
      201: json(CheckoutResponse, 'Commande créée (une relecture avec la même clé et le même corps renvoie la même réponse)'),
      400: error('Corps ou Idempotency-Key invalide, mode de livraison inconnu'),
      401: error('Pas de session'),
      409: error('cart_empty, out_of_stock (details : variantes en rupture), conflict (quantité par article dépassée), discount_invalid, price_changed (details.totalCents : le nouveau total) ou idempotency_conflict'),
      429: error('Trop de commandes en attente de paiement ou de tentatives (Retry-After)'),
      503: error('Prestataire de paiement injoignable : rejouer avec la même clé'),
    },
  });
}
