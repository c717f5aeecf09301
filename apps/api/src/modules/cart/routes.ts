import { Router } from 'express';
import { bySession, limit } from '../../http/rate-limit.js';
import { parse } from '../../http/validate.js';
import { AddItemRequest, CartItemParams, CartQuery, DiscountRequest, SetQuantityRequest } from '@girlycrea/contract';
import * as cart from './service.js';
import { cartOwner } from './store.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const tooManyChanges = (seconds: number) => `Trop de modifications du panier : réessayez dans ${seconds} s.`;
const tooManyCodes = (seconds: number) => `Trop de codes promo refusés : réessayez dans ${Math.ceil(seconds / 60)} min.`;

/**
 * Cart routes, mounted at `/api/cart`. Reading works without a session (an empty cart); changing the
 * cart needs the session from `GET /api/csrf` (401 otherwise) and, like every write, its CSRF token.
 * Changes are limited per session and per IP; refused discount codes are counted apart (guessing).
 */
export function cartRoutes(deps: cart.CartDeps): Router {
  const router = Router();
  const { limits } = deps;
  const writes = [
    limit(deps.cache, { name: 'cart-session', limit: limits.RATE_CART_WRITES_PER_MINUTE, windowMs: MINUTE, key: bySession, message: tooManyChanges }),
    limit(deps.cache, { name: 'cart-ip', limit: limits.RATE_CART_WRITES_PER_MINUTE_PER_IP, windowMs: MINUTE, message: tooManyChanges }),
  ];
  // Only refused codes count: guessing codes is what is slowed down, never a customer's valid code.
  const codeGuesses = [
    limit(deps.cache, { name: 'discount-session', limit: limits.RATE_DISCOUNT_FAILURES_PER_HOUR, windowMs: HOUR, key: bySession, countOnlyFailures: true, message: tooManyCodes }),
    limit(deps.cache, { name: 'discount-ip', limit: limits.RATE_DISCOUNT_FAILURES_PER_HOUR_PER_IP, windowMs: HOUR, countOnlyFailures: true, message: tooManyCodes }),
  ];

  router.get('/', async (req, res) => {
    const { shippingMethodId } = parse(CartQuery, req.query);
    res.setHeader('Cache-Control', 'no-store').json(await cart.getCart(deps, req.session ? cartOwner(req) : null, shippingMethodId));
  });

  router.post('/items', ...writes, async (req, res) => {
    res.json(await cart.addItem(deps, cartOwner(req), parse(AddItemRequest, req.body)));
  });

  router.patch('/items/:variantId', ...writes, async (req, res) => {
    const { variantId } = parse(CartItemParams, req.params);
    res.json(await cart.setQuantity(deps, cartOwner(req), variantId, parse(SetQuantityRequest, req.body).quantity));
  });

  router.delete('/items/:variantId', ...writes, async (req, res) => {
    res.json(await cart.removeItem(deps, cartOwner(req), parse(CartItemParams, req.params).variantId));
  });

  router.post('/discount', ...writes, ...codeGuesses, async (req, res) => {
    res.json(await cart.applyDiscount(deps, cartOwner(req), parse(DiscountRequest, req.body).code));
  });

  router.delete('/discount', ...writes, async (req, res) => {
    res.json(await cart.removeDiscount(deps, cartOwner(req)));
  });

  return router;
}
