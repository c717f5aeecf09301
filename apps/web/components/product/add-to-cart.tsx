'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import type { Variant } from '@girlycrea/contract';
import { refreshProductPage } from '../../app/produits/[slug]/actions';
import { shop } from '../../lib/api/client';
import { setCart } from '../../lib/cart-store';
import { Price } from '../catalog/price';
import { firstChoice } from './first-choice';
import { useVariantSelection } from './variant-selection';

const MAX_QUANTITY = 20;

/** The option shared by every variant ("Couleur", "Parfum"), or a generic name. */
function optionName(variants: Variant[]): string {
  const keys = new Set(variants.flatMap((v) => Object.keys(v.options)));
  return keys.size === 1 ? [...keys][0]! : 'Modèle';
}

function variantLabel(variant: Variant): string {
  const values = Object.values(variant.options);
  return values.length === 1 ? values[0]! : variant.title;
}

type Status = { kind: 'idle' | 'busy' } | { kind: 'done' | 'error'; message: string };

/** Variant choice, price and stock state, quantity and the "Ajouter au panier" button. */
export function AddToCart({ slug, variants, title }: { slug: string; variants: Variant[]; title: string }) {
  const router = useRouter();
  const [variantId, setVariantId] = useVariantSelection(firstChoice(variants));
  const [quantity, setQuantity] = useState(1);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [refreshing, startRefresh] = useTransition();
  // After a refresh the chosen variant may no longer exist: fall back to the first one in stock.
  const variant = variants.find((v) => v.id === variantId) ?? variants.find((v) => v.id === firstChoice(variants));
  const name = optionName(variants);
  const canBuy = variant?.inStock === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!variant || !canBuy || status.kind === 'busy') return;
    setStatus({ kind: 'busy' });
    const result = await shop.addToCart(variant.id, quantity);
    if (result.ok) {
      setCart(result.data);
      setStatus({ kind: 'done', message: `Ajouté au panier : ${quantity} × ${title} (${variantLabel(variant)}).` });
    } else if (result.code === 'not_found' && (await refreshProductPage(slug, variants.map((v) => v.id)))) {
      // The catalog changed under this page (a new import, a restore): show the current one.
      startRefresh(() => router.refresh());
      setStatus({ kind: 'error', message: 'Cette création a changé depuis l’affichage de la page : nous l’avons mise à jour, vérifiez votre choix puis ajoutez-la à nouveau.' });
    } else {
      // A per-order cap names its number next to the quantity, in the API's words.
      setStatus({ kind: 'error', message: result.fields.quantity ? `Quantité : ${result.fields.quantity}.` : result.message });
    }
  }

  const changeQuantity = (next: number) => setQuantity(Math.min(MAX_QUANTITY, Math.max(1, Number.isFinite(next) ? Math.trunc(next) : 1)));

  return (
    <div className="buy-box">
      {variant && <Price cents={variant.priceCents} compareAtCents={variant.compareAtCents} large />}
      <p className="price-note">TVA incluse</p>
      <p className={canBuy ? 'stock stock--in' : 'stock stock--out'}>{canBuy ? 'En stock, prêt à partir' : 'Épuisé — revient bientôt'}</p>
      <form onSubmit={submit} className="buy-box__form">
        {variants.length > 1 ? (
          <fieldset className="variant-picker">
            <legend>{name}</legend>
            {variants.map((v) => (
              <label key={v.id} className="variant-option">
                <input type="radio" name="variante" value={v.id} checked={v.id === variant?.id} disabled={!v.inStock} onChange={() => setVariantId(v.id)} />
                <span>
                  {variantLabel(v)}
                  {!v.inStock && <span className="variant-option__out"> (épuisé)</span>}
                </span>
              </label>
            ))}
          </fieldset>
        ) : (
          variant && (
            <p className="variant-single">
              {name} : <strong>{variantLabel(variant)}</strong>
            </p>
          )
        )}
        <div className="quantity">
          <label htmlFor="quantite">Quantité</label>
          <div className="quantity__control">
            <button type="button" onClick={() => changeQuantity(quantity - 1)} aria-label="Diminuer la quantité" disabled={quantity <= 1}>
              −
            </button>
            <input id="quantite" type="number" inputMode="numeric" min={1} max={MAX_QUANTITY} value={quantity} onChange={(e) => changeQuantity(e.target.valueAsNumber)} />
            <button type="button" onClick={() => changeQuantity(quantity + 1)} aria-label="Augmenter la quantité" disabled={quantity >= MAX_QUANTITY}>
              +
            </button>
          </div>
        </div>
        <button type="submit" className="button button--large button--block" disabled={!canBuy || refreshing} aria-disabled={status.kind === 'busy' || undefined}>
          {refreshing ? 'Mise à jour…' : status.kind === 'busy' ? 'Ajout en cours…' : 'Ajouter au panier'}
        </button>
      </form>
      <div className="buy-box__status" role="status" aria-live="polite">
        {status.kind === 'done' && (
          <p className="flash flash--success">
            {status.message} <Link href="/panier">Voir le panier</Link>
          </p>
        )}
        {status.kind === 'error' && <p className="flash flash--error">{status.message}</p>}
      </div>
    </div>
  );
}
