'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { Order } from '@girlycrea/contract';
import { orderStatusLabel, parseStoredOrder, shop } from '../../lib/api/client';
import { DeliveryDetails } from './delivery-details';
import { OrderLines } from './order-lines';
import { orderStorageKey, trackingStorageKey } from './use-checkout';

function stored(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

async function storedOrder(id: string): Promise<Order | null> {
  const raw = stored(orderStorageKey(id));
  return raw ? parseStoredOrder(raw) : null;
}

// Back from Stripe's page the webhook may land a moment after the customer: ask again for a while.
const POLL_MS = 1000;
const POLL_TRIES = 60;

/**
 * Thank-you page: order number, lines, totals and what happens next. `fromPaymentPage`: the
 * customer comes back from Stripe, and the order shows as paid once Stripe has told the API.
 */
export function Confirmation({ id, token, fromPaymentPage = false }: { id: string; token?: string; fromPaymentPage?: boolean }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Signed in: "Mes commandes"; a guest gets the tracking link and an account offer instead.
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [trackingToken, setTrackingToken] = useState<string | null>(token ?? null);

  useEffect(() => {
    void shop.me().then((me) => setSignedIn(me.ok));
    setTrackingToken((current) => current ?? stored(trackingStorageKey(id)));
  }, [id]);

  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (tries: number) => {
      const result = await shop.getOrder(id, token);
      if (!active) return;
      if (!result.ok) return setError(result.message);
      setOrder(result.data);
      if (fromPaymentPage && result.data.status === 'pending_payment' && tries > 1) timer = setTimeout(() => void load(tries - 1), POLL_MS);
    };
    void storedOrder(id).then((kept) => {
      if (!active) return;
      if (kept) setOrder(kept);
      else void load(POLL_TRIES);
    });
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [id, token, fromPaymentPage]);

  if (error) {
    return (
      <div className="notice notice--warning" role="alert">
        <p className="notice__title">Commande introuvable</p>
        <p>{error}</p>
        <p>Votre commande est bien enregistrée si vous avez reçu l’e-mail de confirmation.</p>
      </div>
    );
  }
  if (!order) return <p role="status">Chargement de votre commande…</p>;
  const confirming = fromPaymentPage && order.status === 'pending_payment';

  return (
    <div className="confirmation">
      <div className="confirmation__hero">
        <h1>Merci ! Votre commande n° <span className="order-number">{order.number}</span> est enregistrée</h1>
        <p role="status">
          Statut : <strong>{confirming ? 'paiement en cours de confirmation…' : orderStatusLabel(order.status)}</strong>
        </p>
        {order.email && (
          <p>
            Un e-mail de confirmation vient d’être envoyé à <strong>{order.email}</strong>.
          </p>
        )}
      </div>
      <section className="panel" aria-labelledby="titre-detail">
        <h2 id="titre-detail" className="panel__title">
          Détail de la commande
        </h2>
        <OrderLines order={order} />
      </section>
      <DeliveryDetails order={order} />
      {signedIn === false && (
        <section className="panel" aria-labelledby="titre-suivi-invite">
          <h2 id="titre-suivi-invite" className="panel__title">
            Suivre votre commande
          </h2>
          {trackingToken ? (
            <p>
              Gardez ce lien pour suivre votre commande à tout moment :{' '}
              <Link href={`/commandes/${encodeURIComponent(order.id)}?token=${encodeURIComponent(trackingToken)}`}>Suivre ma commande n° {order.number}</Link>
            </p>
          ) : (
            <p>Le lien « Voir ma commande » de l’e-mail de confirmation vous permet de la suivre à tout moment.</p>
          )}
          <p>
            Créez un compte avec l’adresse {order.email} : une fois celle-ci confirmée, vos commandes y sont regroupées.{' '}
            <Link href={`/compte/inscription?email=${encodeURIComponent(order.email)}`} className="button button--ghost">
              Créer un compte
            </Link>
          </p>
        </section>
      )}
      <p className="confirmation__actions">
        <Link href="/" className="button">
          Continuer mes achats
        </Link>
        {signedIn && (
          <Link href="/compte/commandes" className="button button--ghost">
            Mes commandes
          </Link>
        )}
      </p>
    </div>
  );
}
