'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AddressLinesInput, Cart, ProviderName, RelayPoint, ShippingMethod } from '@girlycrea/contract';
import { formatPrice, shop } from '../../lib/api/client';
import { refreshCart, useCart } from '../../lib/cart-store';
import { CartTotals } from '../cart/cart-totals';
import { ProductImage } from '../catalog/product-image';
import { EmailField, Field } from '../ui/field';
import { useFormErrors } from '../ui/use-form-errors';
import { ADDRESS_KEYS, AddressInputs, addressErrors, cleanAddress, EMPTY_ADDRESS } from './address-fields';
import { phoneError } from './phone';
import { RelayPointPicker } from './relay-point-picker';
import { StripePayment } from './stripe-payment';
import { useCheckout } from './use-checkout';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const emailError = (email: string) => (EMAIL.test(email.trim()) ? undefined : 'Indiquez une adresse e-mail valide, par exemple marie@exemple.fr.');

/** Checkout: contact, delivery address and phone, shipping method (with its relay point) and payment, with the cart summary. */
export function CheckoutForm() {
  const { cart, loaded } = useCart();
  const { state, submit } = useCheckout();
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState<AddressLinesInput>(EMPTY_ADDRESS);
  const [methods, setMethods] = useState<ShippingMethod[] | null>(null);
  const [methodsError, setMethodsError] = useState<string | null>(null);
  const [methodId, setMethodId] = useState<string>('');
  const [phone, setPhone] = useState('');
  const [relayPoint, setRelayPoint] = useState<RelayPoint | null>(null);
  const [decline, setDecline] = useState(false);
  // What the API offers: Stripe in production; the test provider too in development and CI (chosen first there).
  const [providers, setProviders] = useState<ProviderName[] | null>(null);
  const [provider, setProvider] = useState<ProviderName | null>(null);
  const { formRef, errors, report, recheck } = useFormErrors();
  // The cart priced with the chosen shipping method: total and VAT come from the server.
  const [quote, setQuote] = useState<Cart | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void refreshCart();
    void shop.getPaymentProviders().then((result) => {
      const offered = result.ok ? result.data : [];
      setProviders(offered);
      setProvider((current) => current ?? offered[0] ?? null);
    });
    void shop.getShippingMethods().then((result) => {
      if (!result.ok) return setMethodsError(result.message);
      setMethods(result.data);
      setMethodId((current) => current || result.data[0]?.id || '');
    });
    // Signed-in customers get their e-mail and default address filled in.
    void shop.me().then(async (me) => {
      if (!me.ok) return;
      setEmail((current) => current || me.data.email);
      const book = await shop.listAddresses();
      const saved = book.ok ? (book.data.find((a) => a.isDefault) ?? book.data[0]) : undefined;
      if (saved) setAddress((current) => (current.line1 ? current : { ...saved, line2: saved.line2 ?? '' }));
      if (saved?.phone) setPhone((current) => current || saved.phone!);
      else setAddress((current) => (current.name ? current : { ...current, name: me.data.name }));
    });
  }, []);

  useEffect(() => {
    // The API's field errors go next to their fields, like the form's own; otherwise the alert takes focus.
    if (Object.keys(state.fieldErrors).length > 0) report(state.fieldErrors);
    else if (state.error) alertRef.current?.focus();
  }, [state.error, state.fieldErrors, report]);

  useEffect(() => {
    if (!methodId || !cart || cart.items.length === 0) return;
    let current = true;
    void shop.getCart(methodId).then((result) => current && result.ok && setQuote(result.data));
    return () => {
      current = false;
    };
  }, [methodId, cart]);

  const method = methods?.find((m) => m.id === methodId);
  const summary = quote && cart && quote.items.length === cart.items.length ? quote : cart;
  const shownErrors = errors;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = { ...addressErrors(address) };
    const badEmail = emailError(email);
    if (badEmail) found.email = badEmail;
    const badPhone = phoneError(phone, address.country, method?.requiresPhone ?? false);
    if (badPhone) found.phone = badPhone;
    if (!methodId) found.shipping = 'Choisissez un mode de livraison.';
    if (method?.kind === 'relay' && !relayPoint) found.relayPointId = 'Choisissez un point relais dans la liste.';
    if (!provider) found.payment = 'Le paiement est momentanément indisponible : rechargez la page dans un instant.';
    report(found);
    if (Object.keys(found).length > 0) return;
    // The total shown (with this shipping method): the API refuses to charge another one.
    const shown = summary === quote && quote?.shippingCents != null ? { expectedTotalCents: quote.totalCents } : {};
    void submit(
      {
        email: email.trim(),
        shippingAddress: { ...cleanAddress(address), ...(phone.trim() ? { phone: phone.trim() } : {}) },
        shippingMethodId: methodId,
        ...(method?.kind === 'relay' && relayPoint ? { relayPointId: relayPoint.id } : {}),
        paymentProvider: provider!,
        ...shown,
      },
      decline ? 'fail' : 'succeed',
    );
  }

  // While paying, the cart empties just before the confirmation page opens: keep the form.
  if (loaded && (!cart || cart.items.length === 0) && !state.busy) {
    return (
      <div className="notice" role="status">
        <p className="notice__title">Votre panier est vide</p>
        <p>
          <Link href="/" className="button">
            Découvrir nos créations
          </Link>
        </p>
      </div>
    );
  }

  return (
    <form ref={formRef} className="checkout" onSubmit={onSubmit} noValidate aria-busy={state.busy}>
      <div className="checkout__steps">
        <fieldset className="panel">
          <legend className="panel__title">1. Vos coordonnées</legend>
          <EmailField
            value={email}
            error={shownErrors.email}
            hint="Pour la confirmation et le suivi de commande."
            onValue={(value) => (setEmail(value), recheck('email', emailError(value)))}
          />
        </fieldset>

        <fieldset className="panel">
          <legend className="panel__title">2. Adresse de livraison</legend>
          <AddressInputs
            value={address}
            errors={shownErrors}
            onChange={(next) => {
              setAddress(next);
              const now = addressErrors(next);
              for (const key of ADDRESS_KEYS) recheck(key, now[key]);
              recheck('phone', phoneError(phone, next.country, method?.requiresPhone ?? false) ?? undefined);
            }}
          />
          <Field
            label="Téléphone"
            name="phone"
            type="tel"
            required={method?.requiresPhone ?? false}
            autoComplete="tel"
            value={phone}
            onChange={(e) => {
              setPhone(e.target.value);
              recheck('phone', phoneError(e.target.value, address.country, method?.requiresPhone ?? false) ?? undefined);
            }}
            error={shownErrors.phone}
            hint="Pour les avis de livraison du transporteur : un portable de préférence, par exemple 06 12 34 56 78."
          />
        </fieldset>

        <fieldset className="panel" id="livraison" tabIndex={-1} data-invalid={shownErrors.shipping ? true : undefined} aria-describedby={shownErrors.shipping ? 'livraison-erreur' : undefined}>
          <legend className="panel__title">3. Mode de livraison</legend>
          {methodsError && <p className="field__error">{methodsError}</p>}
          {!methods && !methodsError && <p>Chargement des modes de livraison…</p>}
          {methods?.map((m) => (
            <label key={m.id} className="choice">
              <input
                type="radio"
                name="livraison"
                value={m.id}
                checked={m.id === methodId}
                onChange={() => {
                  setMethodId(m.id);
                  recheck('shipping', undefined);
                }}
              />
              <span className="choice__label">{m.name}</span>
              <span className="choice__price">
                {m.priceCents === 0 ? 'Offerte' : formatPrice(m.priceCents)}
                {m.freeOverCents != null && m.priceCents > 0 && <span className="choice__hint">offerte dès {formatPrice(m.freeOverCents)}</span>}
              </span>
            </label>
          ))}
          {shownErrors.shipping && (
            <p id="livraison-erreur" className="field__error">
              {shownErrors.shipping}
            </p>
          )}
          {method?.kind === 'relay' && <RelayPointPicker postalCode={address.postalCode} value={relayPoint}
              onChange={(point) => {
                setRelayPoint(point);
                if (point) recheck('relayPointId', undefined);
              }}
              error={shownErrors.relayPointId} />}
        </fieldset>

        <fieldset className="panel" id="paiement" tabIndex={-1} data-invalid={shownErrors.payment ? true : undefined}>
          <legend className="panel__title">4. Paiement</legend>
          {!providers && <p>Chargement des moyens de paiement…</p>}
          {providers?.length === 0 && <p className="field__error">Le paiement est momentanément indisponible : rechargez la page dans un instant.</p>}
          {providers && providers.length > 1 && (
            <div className="payment-choice">
              {providers.map((name) => (
                <label key={name} className="choice">
                  <input type="radio" name="moyen-de-paiement" value={name} checked={provider === name} onChange={() => setProvider(name)} />
                  <span className="choice__label">{name === 'stripe' ? 'Carte bancaire (Stripe)' : 'Paiement de test'}</span>
                </label>
              ))}
            </div>
          )}
          {provider === 'stripe' && <StripePayment />}
          {provider === 'test' && (
            <div className="payment-box">
              <p className="payment-box__title">Paiement de test</p>
              <p>Environnement de démonstration : aucune carte n’est demandée et rien n’est débité.</p>
              <label className="checkbox">
                <input type="checkbox" checked={decline} onChange={(e) => setDecline(e.target.checked)} />
                Simuler un paiement refusé
              </label>
            </div>
          )}
          {shownErrors.payment && <p className="field__error">{shownErrors.payment}</p>}
        </fieldset>
      </div>

      <aside className="panel checkout__summary" aria-labelledby="titre-recap-commande">
        <h2 id="titre-recap-commande" className="panel__title">
          Votre commande
        </h2>
        {summary && (
          <>
            <ul className="order-lines">
              {summary.items.map((item) => (
                <li key={item.variantId} className="order-lines__item--thumb">
                  <span className="order-lines__thumb">
                    <ProductImage src={item.imageUrl} alt="" sizes="3rem" size={64} />
                  </span>
                  <span>
                    {item.quantity} × {item.title}
                    {item.variantTitle && <span className="order-lines__variant"> — {item.variantTitle}</span>}
                  </span>
                  <span>{formatPrice(item.lineTotalCents)}</span>
                </li>
              ))}
            </ul>
            <CartTotals cart={summary} />
          </>
        )}
        <div ref={alertRef} tabIndex={-1} role="alert" className="checkout__alert">
          {state.error && <p className="flash flash--error">{state.error}</p>}
        </div>
        <button type="submit" className="button button--large button--block" aria-disabled={state.busy || undefined} disabled={state.busy}>
          Payer
        </button>
        <p className="checkout__legal">
          En cliquant sur « Payer », vous acceptez nos <Link href="/cgv">conditions générales de vente</Link>. Prix TTC en euros.
        </p>
        <p role="status" className="visually-hidden">
          {state.busy ? 'Paiement en cours…' : ''}
        </p>
      </aside>
    </form>
  );
}
