import type { Order } from '@girlycrea/contract';
import { formatPrice } from '../../lib/api/client';

/** Lines and totals of an order, as the server priced them. */
export function OrderLines({ order }: { order: Order }) {
  return (
    <>
      <ul className="order-lines">
        {order.lines.map((line, index) => (
          <li key={`${line.sku}-${index}`}>
            <span>
              {line.quantity} × {line.title}
              {line.variantTitle && <span className="order-lines__variant"> — {line.variantTitle}</span>}
            </span>
            <span>{formatPrice(line.lineTotalCents)}</span>
          </li>
        ))}
      </ul>
      <dl className="totals">
        <div>
          <dt>Sous-total</dt>
          <dd>{formatPrice(order.subtotalCents)}</dd>
        </div>
        {order.discountCents > 0 && (
          <div className="totals__discount">
            <dt>Réduction</dt>
            <dd>−{formatPrice(order.discountCents)}</dd>
          </div>
        )}
        <div>
          <dt>Livraison</dt>
          <dd>{order.shippingCents === 0 ? 'Offerte' : formatPrice(order.shippingCents)}</dd>
        </div>
        <div className="totals__total">
          <dt>Total TTC</dt>
          <dd>{formatPrice(order.totalCents)}</dd>
        </div>
        <div className="totals__vat">
          <dt>dont TVA</dt>
          <dd>{formatPrice(order.vatCents)}</dd>
        </div>
      </dl>
    </>
  );
}
