'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Cart } from '@girlycrea/contract';
import { formatPrice, shop, type ApiResult } from '../../lib/api/client';
import { refreshCart, setCart, useCart } from '../../lib/cart-store';
import { ProductImage } from '../catalog/product-image';
import { CartTotals } from './cart-totals';

const MAX_QUANTITY = 20;

/** The cart page: lines with quantity controls, discount code, totals and "Commander". */
export function CartView() {
  const router = useRouter();
  const { cart, loaded, error } = useCart();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  useEffect(() => void refreshCart(), []);

  async function apply(key: string, call: Promise<ApiResult<Cart>>, success?: string) {
    setBusy(key);
    const result = await call;
    setBusy(null);
    if (result.ok) {
      setCart(result.data);
      setMessage(success ? { kind: 'success', text: success } : null);
    } else {
      setMessage({ kind: 'error', text: result.message });
    }
  }

  if (!loaded) return <p role="status">Chargement de votre panier…</p>;
  if (error && !cart) {
    return (
      <div className="notice notice--warning" role="alert">
        <p>{error}</p>
        <button type="button" className="button" onClick={() => void refreshCart()}>
          Réessayer
        </button>
      </div>
    );
  }
  if (!cart || cart.items.length === 0) {
    return (
      <div className="notice" role="status">
        <p className="notice__title">Votre panier est vide</p>
        <p>Un petit chouchou, un bracelet ? Nos créations n’attendent que vous.</p>
        <p>
          <Link href="/" className="button">
            Découvrir nos créations
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="cart-layout">
      <section aria-labelledby="titre-articles" className="panel">
        <h2 id="titre-articles" className="panel__title">
          Articles
        </h2>
        <ul className="cart-lines">
          {cart.items.map((item) => (
            <li key={item.variantId} className="cart-line">
              <div className="cart-line__thumb">
                <ProductImage src={item.imageUrl} alt="" sizes="4.5rem" size={96} />
              </div>
              <div className="cart-line__info">
                <p className="cart-line__title">{item.title}</p>
                {item.variantTitle && <p className="cart-line__variant">{item.variantTitle}</p>}
                <p className="cart-line__unit">{formatPrice(item.unitPriceCents)} l’unité</p>
                {item.availableQuantity < item.quantity && (
                  <p className="field__error">Plus que {item.availableQuantity} disponible(s) : ajustez la quantité.</p>
                )}
              </div>
              <div className="quantity__control" role="group" aria-label={`Quantité de ${item.title}`}>
                <button
                  type="button"
                  aria-label={`Retirer un exemplaire de ${item.title}`}
                  disabled={busy !== null || item.quantity <= 1}
                  onClick={() => void apply(item.variantId, shop.setQuantity(item.variantId, item.quantity - 1))}
                >
                  −
                </button>
                <output aria-live="polite">{item.quantity}</output>
                <button
                  type="button"
                  aria-label={`Ajouter un exemplaire de ${item.title}`}
                  disabled={busy !== null || item.quantity >= Math.min(MAX_QUANTITY, item.availableQuantity)}
                  onClick={() => void apply(item.variantId, shop.setQuantity(item.variantId, item.quantity + 1))}
                >
                  +
                </button>
              </div>
              <p className="cart-line__total">{formatPrice(item.lineTotalCents)}</p>
              <button
                type="button"
                className="link-button"
                disabled={busy !== null}
                onClick={() => void apply(item.variantId, shop.removeItem(item.variantId), `${item.title} a été retiré du panier.`)}
              >
                Supprimer<span className="visually-hidden"> {item.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <aside className="panel cart-summary" aria-labelledby="titre-recap">
        <h2 id="titre-recap" className="panel__title">
          Récapitulatif
        </h2>
        <CartTotals cart={cart} />
        <DiscountForm
          disabled={busy !== null}
          problem={cart.discountMessage ?? null}
          onApplied={(next, code) => {
            setCart(next);
            setMessage(next.discountMessage ? null : { kind: 'success', text: `Le code ${code} est appliqué.` });
          }}
        />
        <button type="button" className="button button--large button--block" onClick={() => router.push('/commande')}>
          Commander
        </button>
        <p className="cart-summary__note">Livraison choisie à l’étape suivante. Paiement sécurisé.</p>
      </aside>
      <div className="cart-layout__status" role="status" aria-live="polite">
        {message && <p className={`flash flash--${message.kind}`}>{message.text}</p>}
      </div>
    </div>
  );
}

const NO_SUCH_CODE = 'Ce code de réduction n’existe pas : vérifiez son orthographe.';

/** The discount code and, right under it, why it gives nothing (unknown code, minimum not reached…). */
function DiscountForm({ disabled, problem, onApplied }: { disabled: boolean; problem: string | null; onApplied: (cart: Cart, code: string) => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const shown = error ?? (code === '' ? problem : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const clean = code.trim();
    if (!clean) {
      setError('Saisissez votre code de réduction.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    const result = await shop.applyDiscount(clean);
    setBusy(false);
    if (!result.ok) {
      setError(result.fields.code ?? (result.code === 'not_found' ? NO_SUCH_CODE : result.message));
      input.current?.focus();
      return;
    }
    setCode('');
    setError(null);
    onApplied(result.data, clean);
    if (result.data.discountMessage) input.current?.focus();
  }

  return (
    <form className="discount-form" onSubmit={submit} noValidate>
      <label htmlFor="code-reduction">Code de réduction</label>
      <div className="inline-field">
        <input
          ref={input}
          id="code-reduction"
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setError(null);
          }}
          autoComplete="off"
          maxLength={64}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? 'code-reduction-erreur' : undefined}
        />
        <button type="submit" className="button button--small button--ghost" disabled={disabled || busy}>
          Appliquer
        </button>
      </div>
      {shown && (
        <p id="code-reduction-erreur" className="field__error">
          {shown}
        </p>
      )}
    </form>
  );
}
