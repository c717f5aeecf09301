import type { CacheStore } from '@girlycrea/cache';
import type { Pool } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import type { Limits } from '../../limits.js';
import { findVariantThumbnails } from '../catalog/service.js';
import { DISCOUNT_NOT_VALID, lineCap, loadQuoteData, priceQuote, quoteItems, type Quote, type QuoteData, type QuoteVariant } from '../checkout/quote.js';
import { countDiscountUses } from '../checkout/repo.js';
import type { AddItemRequest, Cart } from '@girlycrea/contract';
import {
  addToLine,
  deleteCart,
  loadCart,
  MAX_LINES,
  removeDiscountCode,
  removeLine,
  setDiscountCode,
  setLineQuantity,
  type CartOwner,
  type StoredCart,
} from './store.js';

/** What the cart needs: PostgreSQL for prices and stock, Redis for the cart itself, and the limits (line cap, rates). */
export interface CartDeps {
  db: Pool;
  cache: CacheStore;
  limits: Limits;
}

function toCart(quote: Quote, stored: StoredCart, withShipping: boolean, thumbnails: Map<string, string>): Cart {
  const { pricing } = quote;
  return {
    items: quote.lines.map((line) => ({
      variantId: line.variantId,
      imageUrl: thumbnails.get(line.variantId) ?? null,
      sku: line.sku,
      title: line.title,
      variantTitle: line.variantTitle,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      lineTotalCents: line.lineTotalCents,
      availableQuantity: Math.min(line.stock, line.maxPerOrder),
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

async function view(deps: CartDeps, stored: StoredCart, shippingMethodId?: string, data?: QuoteData): Promise<Cart> {
  const input = { items: stored.items, discountCode: stored.discountCode, shippingMethodId: shippingMethodId ?? null };
  const [quote, thumbnails] = await Promise.all([
    quoteItems(deps.db, input, deps.limits.LIMIT_LINE_QUANTITY, data),
    findVariantThumbnails(deps.db, stored.items.map((item) => item.variantId)),
  ]);
  return toCart(quote, stored, shippingMethodId !== undefined, thumbnails);
}

function overLineCap(cap: number, previous: number): AppError {
  return new AppError('invalid_request', `${cap} exemplaire${cap > 1 ? 's' : ''} au plus de cet article par commande.`, {
    details: [{ path: 'quantity', message: `${cap} au plus${previous > 0 ? ` (déjà ${previous} dans le panier)` : ''}` }],
  });
}

function shortOfStock(variantId: string, sku: string, requested: number, available: number): AppError {
  const message = available === 0 ? 'Cet article est épuisé.' : `Il ne reste que ${available} exemplaire${available > 1 ? 's' : ''} de cet article.`;
  return new AppError('out_of_stock', message, { details: [{ variantId, sku, requested, available }] });
}

/** The variant if it can be ordered now, else 404. */
function assertPurchasable(data: QuoteData, variantId: string): QuoteVariant {
  const variant = data.variants.get(variantId);
  if (!variant?.purchasable) throw new AppError('not_found', 'Cet article est introuvable ou n’est plus en vente.');
  return variant;
}

// Carts are keyed by the id as PostgreSQL writes it, whatever case the client sent.
const canonicalId = (variantId: string) => variantId.toLowerCase();

/** The owner's cart, priced now; with `shippingMethodId`, shipping is included in the total. */
export async function getCart(deps: CartDeps, owner: CartOwner | null, shippingMethodId?: string): Promise<Cart> {
  const stored = owner ? await loadCart(deps.cache, owner) : { items: [], discountCode: null };
  return view(deps, stored, shippingMethodId);
}

/**
 * Adds units of a variant (existing line: quantities add up), within the line cap (the variant's or
 * the shop's), 50 lines and the stock. One read of the cart, one PostgreSQL statement (the variant's price, status and stock
 * for the check, and every line's price for the answer), then one atomic change of the cart, so
 * concurrent adds never lose each other.
 */
export async function addItem(deps: CartDeps, owner: CartOwner, input: AddItemRequest): Promise<Cart> {
  const variantId = canonicalId(input.variantId);
  const before = await loadCart(deps.cache, owner);
  const data = await loadQuoteData(deps.db, { items: before.items, discountCode: before.discountCode }, [variantId]);
  const variant = assertPurchasable(data, variantId);
  const cap = lineCap(variant, deps.limits.LIMIT_LINE_QUANTITY);
  const added = await addToLine(deps.cache, owner, variantId, input.quantity, Math.min(variant.stock, cap));
  if (added.outcome === 'too_many_fields') throw new AppError('conflict', `Votre panier contient déjà ${MAX_LINES} articles différents.`);
  if (added.outcome === 'over_max') {
    const requested = added.previous + input.quantity;
    if (requested > cap) throw overLineCap(cap, added.previous);
    throw shortOfStock(variantId, variant.sku, requested, variant.stock);
  }
  return view(deps, added.cart, undefined, data);
}

/** Sets a line's quantity; 0 removes it. A variant not in the cart is 404. */
export async function setQuantity(deps: CartDeps, owner: CartOwner, rawVariantId: string, quantity: number): Promise<Cart> {
  const variantId = canonicalId(rawVariantId);
  const before = await loadCart(deps.cache, owner);
  const notInCart = () => new AppError('not_found', 'Cet article n’est pas dans votre panier.');
  if (!before.items.some((item) => item.variantId === variantId)) throw notInCart();
  if (quantity === 0) return view(deps, await removeLine(deps.cache, owner, variantId));
  const data = await loadQuoteData(deps.db, before);
  const variant = assertPurchasable(data, variantId);
  const cap = lineCap(variant, deps.limits.LIMIT_LINE_QUANTITY);
  if (quantity > cap) throw overLineCap(cap, 0);
  if (quantity > variant.stock) throw shortOfStock(variantId, variant.sku, quantity, variant.stock);
  // Written only if the line is still there: a concurrent removal wins.
  const result = await setLineQuantity(deps.cache, owner, variantId, quantity);
  if (!result.found) throw notInCart();
  return view(deps, result.cart, undefined, data);
}

/** Removes a line (a line already gone is not an error). */
export async function removeItem(deps: CartDeps, owner: CartOwner, variantId: string): Promise<Cart> {
  return view(deps, await removeLine(deps.cache, owner, canonicalId(variantId)));
}

/**
 * Applies a code. Unknown, expired, used up, or already used by this customer as often as it
 * allows: the same 409 discount_invalid, so guessing cannot tell them apart; below its minimum:
 * 409 discount_invalid saying the minimum.
 */
export async function applyDiscount(deps: CartDeps, owner: CartOwner, code: string): Promise<Cart> {
  const before = await loadCart(deps.cache, owner);
  const data = await loadQuoteData(deps.db, { items: before.items, discountCode: code });
  const quote = priceQuote(data, { items: before.items, discountCode: code }, deps.limits.LIMIT_LINE_QUANTITY);
  if (!data.discount) throw new AppError('discount_invalid', DISCOUNT_NOT_VALID);
  if (quote.discountProblem) throw new AppError('discount_invalid', quote.discountProblem);
  const { per_customer_limit: perCustomer } = data.discount;
  if (perCustomer !== null && owner.kind === 'user') {
    const uses = await countDiscountUses(deps.db, { discountId: data.discount.id, customerId: owner.id, email: '' });
    if (uses.by_customer >= perCustomer) throw new AppError('discount_invalid', DISCOUNT_NOT_VALID);
  }
  const after = await setDiscountCode(deps.cache, owner, data.discount.code);
  // The code as stored is the canonical one: price again with the rows already read.
  const canonical = { ...data, lookup: { ...data.lookup, discountCode: data.discount.code } };
  return view(deps, after, undefined, canonical);
}

/** Removes the cart's code. */
export async function removeDiscount(deps: CartDeps, owner: CartOwner): Promise<Cart> {
  return view(deps, await removeDiscountCode(deps.cache, owner));
}

/**
 * Moves a guest's cart into the customer's at sign-in: quantities add up, capped by stock and
 * the line cap (a line never drops below what the customer already had); unavailable variants are dropped.
 * Each line is merged with one atomic change, so adds from the customer's other sessions are kept.
 */
export async function mergeGuestCart(deps: CartDeps, guestSessionId: string, userId: string): Promise<void> {
  const guestOwner: CartOwner = { kind: 'guest', id: guestSessionId };
  const guest = await loadCart(deps.cache, guestOwner);
  if (guest.items.length === 0 && guest.discountCode === null) return;
  const userOwner: CartOwner = { kind: 'user', id: userId };
  const data = await loadQuoteData(deps.db, { items: guest.items, discountCode: null });
  // One connection runs these in order, so new lines keep the guest cart's order.
  await Promise.all(
    guest.items.flatMap((item) => {
      const variant = data.variants.get(item.variantId);
      if (!variant?.purchasable) return [];
      return [addToLine(deps.cache, userOwner, item.variantId, item.quantity, Math.min(variant.stock, lineCap(variant, deps.limits.LIMIT_LINE_QUANTITY)), true)];
    }),
  );
  if (guest.discountCode) await setDiscountCode(deps.cache, userOwner, guest.discountCode, true);
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
