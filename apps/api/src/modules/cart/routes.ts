import { Router } from 'express';
import { parse } from '../../http/validate.js';
import { AddItemRequest, CartItemParams, CartQuery, DiscountRequest, SetQuantityRequest } from './schema.js';
import * as cart from './service.js';
import { cartOwner } from './store.js';

/**
 * Cart routes, mounted at `/api/cart`. Reading works without a session (an empty cart); changing the
 * cart needs the session from `GET /api/csrf` (401 otherwise) and, like every write, its CSRF token.
 */
export function cartRoutes(deps: cart.CartDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { shippingMethodId } = parse(CartQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json(await cart.getCart(deps, req.session ? cartOwner(req) : null, shippingMethodId));
  });

  router.post('/items', async (req, res) => {
    res.json(await cart.addItem(deps, cartOwner(req), parse(AddItemRequest, req.body)));
  });

  router.patch('/items/:variantId', async (req, res) => {
    const { variantId } = parse(CartItemParams, req.params);
    res.json(await cart.setQuantity(deps, cartOwner(req), variantId, parse(SetQuantityRequest, req.body).quantity));
  });

  router.delete('/items/:variantId', async (req, res) => {
    res.json(await cart.removeItem(deps, cartOwner(req), parse(CartItemParams, req.params).variantId));
  });

  router.post('/discount', async (req, res) => {
    res.json(await cart.applyDiscount(deps, cartOwner(req), parse(DiscountRequest, req.body).code));
  });

  router.delete('/discount', async (req, res) => {
    res.json(await cart.removeDiscount(deps, cartOwner(req)));
  });

  return router;
}
