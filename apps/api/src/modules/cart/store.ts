import type { Request } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { z } from 'zod';
import { AppError } from '../../http/errors.js';

/** Whose cart: a signed-in customer's (by user id) or a guest's (by session id). */
export type CartOwner = { kind: 'user'; id: string } | { kind: 'guest'; id: string };

/** How long an untouched cart is kept in Redis. */
export const CART_TTL_MS = 30 * 24 * 3_600_000;
/** Most units of one variant in a cart. */
export const MAX_QUANTITY = 99;
/** Most distinct variants in a cart. */
export const MAX_LINES = 50;

const StoredCart = z.object({
  items: z.array(z.object({ variantId: z.uuid(), quantity: z.int().min(1).max(MAX_QUANTITY) })).max(MAX_LINES),
  discountCode: z.string().nullable(),
});
/** A cart as kept in Redis: variant ids and quantities only, never prices. */
export type StoredCart = z.infer<typeof StoredCart>;

const EMPTY: StoredCart = { items: [], discountCode: null };

/** The Redis key of an owner's cart. */
export function cartKey(owner: CartOwner): string {
  return `cart:${owner.kind}:${owner.id}`;
}

/** The cart owner of a request: the signed-in user, else the guest session; 401 without a session. */
export function cartOwner(req: Request): CartOwner {
  const session = req.session;
  if (!session) throw new AppError('unauthorized', 'Session absente : appelez GET /api/csrf pour ouvrir une session, puis réessayez.');
  return session.data.userId ? { kind: 'user', id: session.data.userId } : { kind: 'guest', id: session.id };
}

/** The owner's cart (empty when absent or unreadable). */
export async function loadCart(cache: CacheStore, owner: CartOwner): Promise<StoredCart> {
  const raw = await cache.get(cartKey(owner));
  if (raw === null) return { ...EMPTY, items: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  const parsed = StoredCart.safeParse(value);
  return parsed.success ? parsed.data : { ...EMPTY, items: [] };
}

/** Saves the cart for 30 more days; an empty cart without code is deleted. */
export async function saveCart(cache: CacheStore, owner: CartOwner, cart: StoredCart): Promise<void> {
  if (cart.items.length === 0 && cart.discountCode === null) {
    await cache.del(cartKey(owner));
    return;
  }
  await cache.set(cartKey(owner), JSON.stringify(cart), CART_TTL_MS);
}

/** Deletes the owner's cart. */
export async function deleteCart(cache: CacheStore, owner: CartOwner): Promise<void> {
  await cache.del(cartKey(owner));
}
