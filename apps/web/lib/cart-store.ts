'use client';

// The cart as the browser last saw it, shared by the header link, the cart page and checkout.
// The API (Redis, keyed by the session cookie) stays the source of truth: every change
// comes back as the server-priced cart and replaces this copy.
import { useSyncExternalStore } from 'react';
import type { Cart } from '@girlycrea/contract';
import { shop } from './api/client';

interface CartState {
  cart: Cart | null;
  /** False until the first answer from the API (or its failure). */
  loaded: boolean;
  /** French message when the last refresh failed. */
  error: string | null;
}

const SERVER_STATE: CartState = { cart: null, loaded: false, error: null };
let state: CartState = SERVER_STATE;
let pending: Promise<void> | null = null;
const listeners = new Set<() => void>();

function emit(next: CartState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Replaces the cart with one the API just returned. */
export function setCart(cart: Cart): void {
  emit({ cart, loaded: true, error: null });
}

/** Reloads the cart from the API (deduplicated while one load is running). */
export function refreshCart(): Promise<void> {
  pending ??= shop
    .getCart()
    .then((result) => {
      if (result.ok) emit({ cart: result.data, loaded: true, error: null });
      // No session yet (or an API without carts): an empty cart, not an error.
      else if (result.status === 401 || result.status === 404) emit({ cart: null, loaded: true, error: null });
      else emit({ ...state, loaded: true, error: result.message });
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Loads the cart once per page life. */
export function ensureCart(): void {
  if (!state.loaded && !pending) void refreshCart();
}

/** The current cart state; re-renders on every change. */
export function useCart(): CartState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
    () => SERVER_STATE,
  );
}
