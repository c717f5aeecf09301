import type { CacheStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import { findDiscountOr404, findVariantStock, quoteItems, type Quote } from '../checkout/quote.js';
import type { AddItemRequest, Cart } from './schema.js';
import { deleteCart, loadCart, MAX_LINES, MAX_QUANTITY, saveCart, type CartOwner, type StoredCart } from './store.js';

/** What the cart needs: PostgreSQL for prices and stock, Redis for the cart itself. */
export interface CartDeps {
  db: Pool;
  cache: CacheStore;
}

function toCart(quote: Quote, stored: StoredCart, withShipping: boolean): Cart {
  const { pricing } = quote;
  return {
    items: quote.lines.map((line) => ({
      variantId: line.variantId,
      sku: line.sku,
      title: line.title,
      variantTitle: line.variantTitle,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      lineTotalCents: line.lineTotalCents,
      availableQuantity: Math.min(line.stock, MAX_QUANTITY),
    })),
    subtotalCents: pricing.subtotalCents,
    discountCents: pricing.discountCents,
    ...(withShipping ? { shippingCents: pricing.shippingCents } : {}),
    vatCents: pricing.vatCents,
    totalCents: pricing.totalCents,
    currency: 'EUR',
    ...(stored.discountCode ? { discountCode: stored.discountCode } : {}),
    ...(quote.discountProblem ? { discountMessage: quote.discountProblem } : {}),
  };
}

async function view(deps: CartDeps, stored: StoredCart, shippingMethodId?: string): Promise<Cart> {
  const quote = await quoteItems(deps.db, { items: stored.items, discountCode: stored.discountCode, shippingMethodId: shippingMethodId ?? null });
  return toCart(quote, stored, shippingMethodId !== undefined);
}

function shortOfStock(variantId: string, sku: string, requested: number, available: number): AppError {
  const message = available === 0 ? 'Cet article est épuisé.' : `Il ne reste que ${available} exemplaire${available > 1 ? 's' : ''} de cet article.`;
  return new AppError('out_of_stock', message, { details: [{ variantId, sku, requested, available }] });
}

/** Checks that `quantity` units of the variant can be ordered now: 404 when unavailable, 409 out_of_stock when short. */
async function assertOrderable(deps: CartDeps, variantId: string, quantity: number): Promise<void> {
  const variant = (await findVariantStock(deps.db, [variantId])).get(variantId);
  if (!variant?.purchasable) throw new AppError('not_found', 'Cet article est introuvable ou n’est plus en vente.');
  if (quantity > variant.stock) throw shortOfStock(variantId, variant.sku, quantity, variant.stock);
}

/** The owner's cart, priced now; with `shippingMethodId`, shipping is included in the total. */
export async function getCart(deps: CartDeps, owner: CartOwner | null, shippingMethodId?: string): Promise<Cart> {
  const stored = owner ? await loadCart(deps.cache, owner) : { items: [], discountCode: null };
  return view(deps, stored, shippingMethodId);
}

/** Adds units of a variant (existing line: quantities add up), within 99 per line, 50 lines and the stock. */
export async function addItem(deps: CartDeps, owner: CartOwner, input: AddItemRequest): Promise<Cart> {
  const stored = await loadCart(deps.cache, owner);
  const existing = stored.items.find((item) => item.variantId === input.variantId);
  const quantity = (existing?.quantity ?? 0) + input.quantity;
  if (quantity > MAX_QUANTITY) {
    throw new AppError('invalid_request', `${MAX_QUANTITY} exemplaires au plus par article.`, {
      details: [{ path: 'quantity', message: `${MAX_QUANTITY} au plus (déjà ${existing?.quantity ?? 0} dans le panier)` }],
    });
  }
  if (!existing && stored.items.length >= MAX_LINES) throw new AppError('conflict', `Votre panier contient déjà ${MAX_LINES} articles différents.`);
  await assertOrderable(deps, input.variantId, quantity);
  if (existing) existing.quantity = quantity;
  else stored.items.push({ variantId: input.variantId, quantity });
  await saveCart(deps.cache, owner, stored);
  return view(deps, stored);
}

/** Sets a line's quantity; 0 removes it. A variant not in the cart is 404. */
export async function setQuantity(deps: CartDeps, owner: CartOwner, variantId: string, quantity: number): Promise<Cart> {
  const stored = await loadCart(deps.cache, owner);
  const existing = stored.items.find((item) => item.variantId === variantId);
  if (!existing) throw new AppError('not_found', 'Cet article n’est pas dans votre panier.');
  if (quantity === 0) stored.items = stored.items.filter((item) => item.variantId !== variantId);
  else {
    await assertOrderable(deps, variantId, quantity);
    existing.quantity = quantity;
  }
  await saveCart(deps.cache, owner, stored);
  return view(deps, stored);
}

/** Removes a line (a line already gone is not an error). */
export async function removeItem(deps: CartDeps, owner: CartOwner, variantId: string): Promise<Cart> {
  const stored = await loadCart(deps.cache, owner);
  stored.items = stored.items.filter((item) => item.variantId !== variantId);
  await saveCart(deps.cache, owner, stored);
  return view(deps, stored);
}

/** Applies a code: 404 when unknown, 409 discount_invalid when expired, used up or below its minimum. */
export async function applyDiscount(deps: CartDeps, owner: CartOwner, code: string): Promise<Cart> {
  const discount = await findDiscountOr404(deps.db, code);
  const stored = await loadCart(deps.cache, owner);
  const next = { ...stored, discountCode: discount.code };
  const quote = await quoteItems(deps.db, { items: next.items, discountCode: next.discountCode });
  if (quote.discountProblem) throw new AppError('discount_invalid', quote.discountProblem);
  await saveCart(deps.cache, owner, next);
  return toCart(quote, next, false);
}

/** Removes the cart's code. */
export async function removeDiscount(deps: CartDeps, owner: CartOwner): Promise<Cart> {
  const stored = { ...(await loadCart(deps.cache, owner)), discountCode: null };
  await saveCart(deps.cache, owner, stored);
  return view(deps, stored);
}

/**
 * Moves a guest's cart into the customer's at sign-in: quantities add up, capped by stock and
 * 99 (a line never drops below what the customer already had); unavailable variants are dropped.
 */
export async function mergeGuestCart(deps: CartDeps, guestSessionId: string, userId: string): Promise<void> {
  const guestOwner: CartOwner = { kind: 'guest', id: guestSessionId };
  const guest = await loadCart(deps.cache, guestOwner);
  if (guest.items.length === 0 && guest.discountCode === null) return;
  const userOwner: CartOwner = { kind: 'user', id: userId };
  const user = await loadCart(deps.cache, userOwner);
  const stock = await findVariantStock(deps.db, guest.items.map((item) => item.variantId));
  for (const item of guest.items) {
    const variant = stock.get(item.variantId);
    if (!variant?.purchasable) continue;
    const existing = user.items.find((line) => line.variantId === item.variantId);
    const had = existing?.quantity ?? 0;
    const merged = Math.max(had, Math.min(had + item.quantity, variant.stock, MAX_QUANTITY));
    if (existing) existing.quantity = merged;
    else if (merged > 0 && user.items.length < MAX_LINES) user.items.push({ variantId: item.variantId, quantity: merged });
  }
  await saveCart(deps.cache, userOwner, { items: user.items, discountCode: user.discountCode ?? guest.discountCode });
  await deleteCart(deps.cache, guestOwner);
}

/** The owner's stored cart (variant ids and quantities), for checkout. */
export async function readCart(deps: Pick<CartDeps, 'cache'>, owner: CartOwner): Promise<StoredCart> {
  return loadCart(deps.cache, owner);
}

/** Empties the owner's cart (after an order is placed). */
export async function clearCart(deps: Pick<CartDeps, 'cache'>, owner: CartOwner): Promise<void> {
  await deleteCart(deps.cache, owner);
}
