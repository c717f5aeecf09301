import type { Request } from 'express';
import type { CacheStore } from '@girlycrea/cache';
import { MAX_QUANTITY } from '@girlycrea/contract';
import { z } from 'zod';
import { AppError } from '../../http/errors.js';

/** Whose cart: a signed-in customer's (by user id) or a guest's (by session id). */
export type CartOwner = { kind: 'user'; id: string } | { kind: 'guest'; id: string };

/** How long an untouched cart is kept in Redis. */
export const CART_TTL_MS = 30 * 24 * 3_600_000;
/** Most distinct variants in a cart. */
export const MAX_LINES = 50;

/** A cart as kept in Redis: variant ids and quantities only, never prices. */
export interface StoredCart {
  items: { variantId: string; quantity: number }[];
  discountCode: string | null;
}

// A cart is one Redis hash: variant id -> quantity, plus the code under a field that is never a
// uuid. Every change is one atomic store operation, so concurrent changes never lose each other.
const DISCOUNT_FIELD = 'discount';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUANTITY = /^[1-9]\d?$/;

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

// Lines in the order first added; anything unreadable is left out rather than failing the cart.
function toStoredCart(hash: Map<string, string>): StoredCart {
  const items: StoredCart['items'] = [];
  for (const [field, value] of hash) {
    if (UUID.test(field) && QUANTITY.test(value) && items.length < MAX_LINES) items.push({ variantId: field, quantity: Number(value) });
  }
  return { items, discountCode: hash.get(DISCOUNT_FIELD) ?? null };
}

// Carts written before carts became hashes are JSON strings: the first change converts one.
const LegacyCart = z.object({
  items: z.array(z.object({ variantId: z.uuid(), quantity: z.int().min(1).max(MAX_QUANTITY) })).max(MAX_LINES),
  discountCode: z.string().nullable(),
});
const isWrongType = (error: unknown) => error instanceof Error && error.message.includes('WRONGTYPE');

async function convertLegacyCart(cache: CacheStore, key: string): Promise<void> {
  let raw: string | null;
  try {
    raw = await cache.get(key);
  } catch (error) {
    if (isWrongType(error)) return; // another request converted it already
    throw error;
  }
  await cache.del(key);
  let parsed: ReturnType<typeof LegacyCart.safeParse> | undefined;
  try {
    parsed = LegacyCart.safeParse(JSON.parse(raw ?? 'null'));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) return;
  for (const item of parsed.data.items) {
    await cache.hincrCapped(key, item.variantId, { by: item.quantity, max: MAX_QUANTITY, maxFields: MAX_LINES, uncounted: [DISCOUNT_FIELD], clamp: true, ttlMs: CART_TTL_MS });
  }
  if (parsed.data.discountCode) await cache.hset(key, DISCOUNT_FIELD, parsed.data.discountCode, { ttlMs: CART_TTL_MS, when: 'missing' });
}

async function onCart<T>(cache: CacheStore, owner: CartOwner, operation: (key: string) => Promise<T>): Promise<T> {
  const key = cartKey(owner);
  try {
    return await operation(key);
  } catch (error) {
    if (!isWrongType(error)) throw error;
    await convertLegacyCart(cache, key);
    return operation(key);
  }
}

/** The owner's cart (empty when absent). */
export async function loadCart(cache: CacheStore, owner: CartOwner): Promise<StoredCart> {
  return toStoredCart(await onCart(cache, owner, (key) => cache.hgetall(key)));
}

/** What `addToLine` did, and the cart after it. */
export interface LineAddition {
  outcome: Awaited<ReturnType<CacheStore['hincrCapped']>>['outcome'];
  /** The line's quantity before (0 when new). */
  previous: number;
  cart: StoredCart;
}

/**
 * Atomically adds `quantity` units to a line (created as needed) unless the line would exceed
 * `max`, or a new line would exceed 50 lines; `clamp` adds what fits instead (sign-in merge).
 * The cart then lives 30 more days.
 */
export async function addToLine(cache: CacheStore, owner: CartOwner, variantId: string, quantity: number, max: number, clamp = false): Promise<LineAddition> {
  const result = await onCart(cache, owner, (key) =>
    cache.hincrCapped(key, variantId, { by: quantity, max, maxFields: MAX_LINES, uncounted: [DISCOUNT_FIELD], clamp, ttlMs: CART_TTL_MS }),
  );
  return { outcome: result.outcome, previous: result.previous, cart: toStoredCart(result.hash) };
}

/** Atomically sets the quantity of a line already in the cart; `found` is false (nothing written) when it is not. */
export async function setLineQuantity(cache: CacheStore, owner: CartOwner, variantId: string, quantity: number): Promise<{ found: boolean; cart: StoredCart }> {
  const result = await onCart(cache, owner, (key) => cache.hset(key, variantId, String(quantity), { ttlMs: CART_TTL_MS, when: 'exists' }));
  return { found: result.written, cart: toStoredCart(result.hash) };
}

/** Removes a line (a line already gone is not an error). */
export async function removeLine(cache: CacheStore, owner: CartOwner, variantId: string): Promise<StoredCart> {
  return toStoredCart(await onCart(cache, owner, (key) => cache.hdel(key, [variantId], CART_TTL_MS)));
}

/** Sets the cart's code (`onlyIfNone`: keeps a code already there); returns the cart after. */
export async function setDiscountCode(cache: CacheStore, owner: CartOwner, code: string, onlyIfNone = false): Promise<StoredCart> {
  const result = await onCart(cache, owner, (key) => cache.hset(key, DISCOUNT_FIELD, code, { ttlMs: CART_TTL_MS, when: onlyIfNone ? 'missing' : 'always' }));
  return toStoredCart(result.hash);
}

/** Removes the cart's code; returns the cart after. */
export async function removeDiscountCode(cache: CacheStore, owner: CartOwner): Promise<StoredCart> {
  return toStoredCart(await onCart(cache, owner, (key) => cache.hdel(key, [DISCOUNT_FIELD], CART_TTL_MS)));
}

/** Deletes the owner's cart. */
export async function deleteCart(cache: CacheStore, owner: CartOwner): Promise<void> {
  await cache.del(cartKey(owner));
}
