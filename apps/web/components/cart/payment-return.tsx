'use client';

import { useEffect, useState } from 'react';
import { shop } from '../../lib/api/client';
import { restoreCart } from '../checkout/use-checkout';

/**
 * Back from Stripe's page without paying (`/panier?paiement=annule&commande=…`): checkout emptied
 * the cart, so the order's lines go back into it (once: the address is then cleaned, and a cart
 * that is not empty is left alone). The unpaid order gives its stock back when it expires.
 */
export function PaymentReturn() {
  const [cancelled, setCancelled] = useState(false);

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const orderId = params.get('commande');
    if (params.get('paiement') !== 'annule' || !orderId) return;
    setCancelled(true);
    window.history.replaceState(null, '', '/panier');
    void (async () => {
      const cart = await shop.getCart();
      if (cart.ok && cart.data.items.length > 0) return;
      const order = await shop.getOrder(orderId);
      if (order.ok) await restoreCart(order.data);
    })();
  }, []);

  if (!cancelled) return null;
  return (
    <div className="notice payment-return" role="status">
      <p className="notice__title">Paiement annulé</p>
      <p>Aucun montant n’a été débité. Vos articles sont toujours dans votre panier : vous pouvez commander à nouveau quand vous le souhaitez.</p>
    </div>
  );
}
