import type { OrderStatus } from '@girlycrea/contract';

// pending_payment → paid → (preparing →) shipped → delivered; pending_payment → payment_failed | cancelled;
// paid | preparing → cancelled (by the shop) | refunded.
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'payment_failed', 'cancelled'],
  paid: ['preparing', 'shipped', 'cancelled', 'refunded'],
  preparing: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered'],
  delivered: [],
  payment_failed: [],
  cancelled: [],
  refunded: [],
};

/** Whether an order may go from `from` to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses reachable in one step from `from`. */
export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return NEXT[from];
}

/** Whether an order in this status still holds stock it has not sold (an unpaid order). */
export function holdsReservedStock(status: OrderStatus): boolean {
  return status === 'pending_payment';
}

/** French label of a status, for messages. */
export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending_payment: 'en attente de paiement',
  paid: 'payée',
  preparing: 'en préparation',
  payment_failed: 'paiement refusé',
  cancelled: 'annulée',
  shipped: 'expédiée',
  delivered: 'livrée',
  refunded: 'remboursée',
};
