'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { shop, type CheckoutRequest, type Order } from '../../lib/api/client';
import { refreshCart } from '../../lib/cart-store';
import { newIdempotencyKey } from '../../lib/ids';

/** Where the confirmation page finds the order just paid (no second request needed). */
export const orderStorageKey = (id: string) => `gc:commande:${id}`;

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

/** Puts a closed order's lines back in the cart (checkout empties it; a declined order is final). */
async function restoreCart(order: Order): Promise<void> {
  for (const line of order.lines) {
    if (line.variantId) await shop.addToCart(line.variantId, line.quantity);
  }
  await refreshCart();
}

/**
 * The checkout flow: create the order, then pay it with the test provider. The order's
 * Idempotency-Key is kept while the body is unchanged and no order came back, so a double click
 * or a retry after a network error never creates two orders; an order still awaiting payment is
 * paid again by the next "Payer". A declined or expired order is final: its lines go back to the
 * cart and the next "Payer" creates a new order.
 */
export function useCheckout() {
  const router = useRouter();
  const [state, setState] = useState<CheckoutState>({ busy: false, error: null, fieldErrors: {} });
  const attempt = useRef<{ key: string; body: string; order: Order | null } | null>(null);
  const fail = (error: string, fieldErrors: Record<string, string> = {}) => setState({ busy: false, error, fieldErrors });

  async function createOrder(request: CheckoutRequest): Promise<Order | null> {
    const body = JSON.stringify(request);
    if (attempt.current?.body === body && attempt.current.order) return attempt.current.order;
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body, order: null };
    const result = await shop.checkout(request, attempt.current.key);
    if (!result.ok) {
      const hint = result.code === 'out_of_stock' ? ' Modifiez votre panier puis réessayez.' : '';
      fail(result.message + hint, result.fields);
      // A refused request created nothing: the next try may use a new key.
      if (result.status !== null && result.status < 500) attempt.current = null;
      return null;
    }
    attempt.current.order = result.data.order;
    return result.data.order;
  }

  /** Creates (or reuses) the order and pays it; on success goes to the confirmation page. */
  async function submit(request: CheckoutRequest, outcome: Outcome): Promise<void> {
    setState({ busy: true, error: null, fieldErrors: {} });
    const order = await createOrder(request);
    if (!order) return;
    if (request.paymentProvider === 'stripe') return fail('Le paiement par carte n’est pas encore activé sur cette boutique.');

    const result = await shop.confirmTestPayment(order.id, outcome, newIdempotencyKey());
    if (!result.ok && result.code !== 'invalid_state') return fail(result.message);
    const closed = !result.ok || result.data.status !== 'paid';
    if (closed) {
      attempt.current = null;
      await restoreCart(order);
      return fail(result.ok ? DECLINED : EXPIRED);
    }
    try {
      sessionStorage.setItem(orderStorageKey(result.data.id), JSON.stringify(result.data));
    } catch {
      // Storage unavailable (private mode): the confirmation page asks the API instead.
    }
    await refreshCart();
    router.push(`/commande/confirmation/${encodeURIComponent(result.data.id)}`);
  }

  return { state, submit };
}
