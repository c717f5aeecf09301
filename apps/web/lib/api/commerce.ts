// Small helpers about the session-bound resources (cart, orders), shared by the browser client
// and server code. No environment access here: this file ships to browsers.
import type { Cart, OrderStatus } from '@girlycrea/contract';

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'En attente de paiement',
  paid: 'Payée',
  preparing: 'En préparation',
  shipped: 'Expédiée',
  delivered: 'Livrée',
  payment_failed: 'Paiement refusé',
  cancelled: 'Annulée',
  refunded: 'Remboursée',
};

/** Number of articles in a cart (sum of quantities). */
export function cartCount(cart: Cart | null): number {
  return cart ? cart.items.reduce((sum, item) => sum + item.quantity, 0) : 0;
}

/** French label of an order status. */
export function orderStatusLabel(status: OrderStatus): string {
  return STATUS_LABELS[status];
}
