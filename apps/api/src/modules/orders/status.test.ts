import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type OrderStatus } from '@girlycrea/contract';
import { canTransition, nextStatuses } from './status.js';

describe('order state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'pending_payment→paid',
        'pending_payment→payment_failed',
        'pending_payment→cancelled',
        'paid→preparing',
        'paid→shipped',
        'paid→cancelled',
        'paid→refunded',
        'preparing→shipped',
        'preparing→cancelled',
        'preparing→refunded',
        'shipped→delivered',
      ].sort(),
    );
  });

  it('has terminal statuses that lead nowhere, and never goes back to pending_payment', () => {
    for (const terminal of ['delivered', 'payment_failed', 'cancelled', 'refunded'] as OrderStatus[]) expect(nextStatuses(terminal)).toEqual([]);
    for (const from of ORDER_STATUSES) expect(canTransition(from, 'pending_payment')).toBe(false);
  });

  it('an expired (cancelled) order cannot be paid', () => {
    expect(canTransition('cancelled', 'paid')).toBe(false);
    expect(canTransition('payment_failed', 'paid')).toBe(false);
  });
});
