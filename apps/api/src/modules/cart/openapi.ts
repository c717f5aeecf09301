import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { AddItemRequest, Cart, CartItemParams, CartQuery, DiscountRequest, ErrorBody, SetQuantityRequest } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const cartOk = json(Cart, 'Le panier, chiffré par le serveur');
const noSession = error('Pas de session : appeler GET /api/csrf d’abord');

/** Documents the cart routes. */
export function registerCartOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  path({
    method: 'get', path: '/api/cart', summary: 'Mon panier (vide sans session)', request: { query: CartQuery },
    responses: { 200: cartOk, 400: error('Mode de livraison inconnu') },
  });
  path({
    method: 'post', path: '/api/cart/items', summary: 'Ajouter un article (les quantités s’additionnent ; tout prix envoyé est ignoré)', request: body(AddItemRequest),
    responses: { 200: cartOk, 400: error('Quantité invalide (au plus LIMIT_LINE_QUANTITY ou le plafond de la variante par article)'), 401: noSession, 404: error('Article inconnu ou plus en vente'), 409: error('out_of_stock, ou 50 articles différents déjà'), 429: error('Trop de modifications du panier (Retry-After)') },
  });
  path({
    method: 'patch', path: '/api/cart/items/{variantId}', summary: 'Changer la quantité (0 retire l’article)', request: { params: CartItemParams, ...body(SetQuantityRequest) },
    responses: { 200: cartOk, 400: error('Quantité invalide'), 401: noSession, 404: error('Article absent du panier'), 409: error('out_of_stock') },
  });
  path({
    method: 'delete', path: '/api/cart/items/{variantId}', summary: 'Retirer un article', request: { params: CartItemParams },
    responses: { 200: cartOk, 401: noSession },
  });
  path({
    method: 'post', path: '/api/cart/discount', summary: 'Appliquer un code promo (insensible à la casse)', request: body(DiscountRequest),
    responses: {
      200: cartOk,
      401: noSession,
      409: error('discount_invalid : même réponse pour un code inconnu, expiré, épuisé ou déjà utilisé par cette cliente ; ou montant minimum non atteint'),
      429: error('Trop de codes refusés (Retry-After)'),
    },
  });
  path({ method: 'delete', path: '/api/cart/discount', summary: 'Retirer le code promo', responses: { 200: cartOk, 401: noSession } });
}
