'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { cartCount } from '../../lib/api/client';
import { ensureCart, useCart } from '../../lib/cart-store';

/** Header link to the cart, with the number of articles once known. */
export function CartLink() {
  const { cart, loaded } = useCart();
  useEffect(ensureCart, []);
  const count = cartCount(cart);
  return (
    <Link href="/panier" className="header-action header-action--cart">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
        <path d="M6 7h12l-1 13H7L6 7Z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
        <path d="M9 9V6a3 3 0 0 1 6 0v3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <span>Panier</span>
      {loaded && (
        <span className="cart-count" data-testid="cart-count">
          <span className="visually-hidden">, </span>
          {count}
          <span className="visually-hidden"> article{count > 1 ? 's' : ''}</span>
        </span>
      )}
    </Link>
  );
}
