'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { CheckoutBody, CheckoutResponse, Order } from '@girlycrea/contract';
import { formatPrice, shop } from '../../lib/api/client';
import { refreshCart } from '../../lib/cart-store';
import { newIdempotencyKey } from '../../lib/ids';

/** Where the confirmation page finds the order just paid (no second request needed). */
export const orderStorageKey = (id: string) => `gc:commande:${id}`;
/** Where the confirmation page finds the order's tracking token (for a guest's tracking link). */
export const trackingStorageKey = (id: string) => `gc:suivi:${id}`;

function remember(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Storage unavailable (private mode): the confirmation page asks the API instead.
  }
}

type Outcome = 'succeed' | 'fail';

export interface CheckoutState {
  busy: boolean;
  /** French message for the alert region, if any. */
  error: string | null;
  /** Field errors returned by the API, keyed by field name. */
  fieldErrors: Record<string, string>;
}

const DECLINED =
  'Votre paiement a été refusé. Aucun montant n’a été débité et votre panier est conservé : vérifiez vos informations puis cliquez à nouveau sur « Payer ».';
const EXPIRED = 'Le délai de paiement de votre commande est dépassé. Votre panier est conservé : cliquez à nouveau sur « Payer ».';

/** Puts an order's lines back in the cart (checkout empties it; a declined or abandoned payment keeps the customer's choice). */
export async function restoreCart(order: Order): Promise<void> {
  for (const line of order.lines) {
    if (line.variantId) await shop.addToCart(line.variantId, line.quantity);
  }
  await refreshCart();
}

/** What the customer reads when prices changed since she saw her total: the new total, before anything is paid. */
export const priceChangedMessage = (totalCents: number) =>
  `Le total de votre commande a changé depuis votre dernière visite : il est maintenant de ${formatPrice(totalCents)}. Vérifiez le récapitulatif puis cliquez à nouveau sur « Payer ».`;

const NO_PAYMENT_PAGE = 'Le paiement par carte est momentanément indisponible. Votre commande est enregistrée : réessayez dans un instant.';

/**
 * The checkout flow: create the order, then pay it — on Stripe's hosted page (the browser leaves
 * for it and comes back to the confirmation, or to the cart if the customer gives up), or with
 * the test provider in development. The order's
 * Idempotency-Key is kept while the body is unchanged and no order came back, so a double click
 * or a retry after a network error never creates two orders; an order still awaiting payment is
 * paid again by the next "Payer". A declined or expired order is final: its lines go back to the
 * cart and the next "Payer" creates a new order. The order carries the total the customer was
 * shown: if prices changed meanwhile, nothing is ordered and the new total is shown first.
 */
export function useCheckout() {
  const router = useRouter();
  const [state, setState] = useState<CheckoutState>({ busy: false, error: null, fieldErrors: {} });
  const attempt = useRef<{ key: string; body: string; placed: CheckoutResponse | null } | null>(null);
  const fail = (error: string, fieldErrors: Record<string, string> = {}) => setState({ busy: false, error, fieldErrors });

  async function createOrder(request: CheckoutBody): Promise<CheckoutResponse | null> {
    const body = JSON.stringify(request);
    if (attempt.current?.body === body && attempt.current.placed) return attempt.current.placed;
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body, placed: null };
    const result = await shop.checkout(request, attempt.current.key);
    if (!result.ok && result.code === 'price_changed') {
      attempt.current = null;
      // The summary re-prices from the refreshed cart; the message says the new total.
      const [priced] = await Promise.all([shop.getCart(request.shippingMethodId), refreshCart()]);
      fail(priced.ok ? priceChangedMessage(priced.data.totalCents) : result.message);
      return null;
    }
    if (!result.ok) {
      const hint = result.code === 'out_of_stock' ? ' Modifiez votre panier puis réessayez.' : '';
      fail(result.message + hint, result.fields);
      // A refused request created nothing: the next try may use a new key.
      if (result.status !== null && result.status < 500) attempt.current = null;
      return null;
    }
    attempt.current.placed = result.data;
    return result.data;
  }

  /** Creates (or reuses) the order and pays it; on success goes to the confirmation page. */
  async function submit(request: CheckoutBody, outcome: Outcome): Promise<void> {
    setState({ busy: true, error: null, fieldErrors: {} });
    const placed = await createOrder(request);
    if (!placed) return;
    const { order } = placed;
    if (placed.accessToken) remember(trackingStorageKey(order.id), placed.accessToken);
    if (request.paymentProvider === 'stripe') {
      const page = placed.payment.redirectUrl;
      if (!page) return fail(NO_PAYMENT_PAGE);
      // Stripe's page, on Stripe's domain: card details never touch ours. `busy` stays on while the browser leaves.
      window.location.assign(page);
      return;
    }

    const result = await shop.confirmTestPayment(order.id, outcome, newIdempotencyKey());
    if (!result.ok && result.code !== 'invalid_state') return fail(result.message);
    const closed = !result.ok || result.data.status !== 'paid';
    if (closed) {
      attempt.current = null;
      await restoreCart(order);
      return fail(result.ok ? DECLINED : EXPIRED);
    }
    remember(orderStorageKey(result.data.id), JSON.stringify(result.data));
    await refreshCart();
    router.push(`/commande/confirmation/${encodeURIComponent(result.data.id)}`);
  }

  return { state, submit };
}
