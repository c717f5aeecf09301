import type { Cart } from '@girlycrea/contract';
import { formatPrice } from '../../lib/api/client';

/** Subtotal, discount, shipping, total and VAT of a cart, all computed by the server. */
export function CartTotals({ cart }: { cart: Cart }) {
  return (
    <dl className="totals">
      <div>
        <dt>Sous-total</dt>
        <dd>{formatPrice(cart.subtotalCents)}</dd>
      </div>
      {cart.discountCents > 0 && (
        <div className="totals__discount">
          <dt>Réduction{cart.discountCode ? ` (${cart.discountCode})` : ''}</dt>
          <dd>−{formatPrice(cart.discountCents)}</dd>
        </div>
      )}
      <div>
        <dt>Livraison</dt>
        <dd>{cart.shippingCents == null ? 'à l’étape suivante' : cart.shippingCents === 0 ? 'Offerte' : formatPrice(cart.shippingCents)}</dd>
      </div>
      <div className="totals__total">
        <dt>Total TTC</dt>
        <dd>{formatPrice(cart.totalCents)}</dd>
      </div>
      <div className="totals__vat">
        <dt>dont TVA</dt>
        <dd>{formatPrice(cart.vatCents)}</dd>
      </div>
    </dl>
  );
}
