'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { decodeOrder } from '../../lib/api/commerce';
import { orderStatusLabel, shop, type Order } from '../../lib/api/client';
import { OrderLines } from './order-lines';
import { orderStorageKey } from './use-checkout';

function storedOrder(id: string): Order | null {
  try {
    const raw = sessionStorage.getItem(orderStorageKey(id));
    return raw ? decodeOrder(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

/** Thank-you page: order number, lines, totals and what happens next. */
export function Confirmation({ id, token }: { id: string; token?: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const kept = storedOrder(id);
    if (kept) return setOrder(kept);
    void shop.getOrder(id, token).then((result) => (result.ok ? setOrder(result.data) : setError(result.message)));
  }, [id, token]);

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

  return (
    <div className="confirmation">
      <div className="confirmation__hero">
        <h1>Merci ! Votre commande n° {order.number} est enregistrée</h1>
        <p>
          Statut : <strong>{orderStatusLabel(order.status)}</strong>
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
      <p className="confirmation__actions">
        <Link href="/" className="button">
          Continuer mes achats
        </Link>
        <Link href="/compte/commandes" className="button button--ghost">
          Mes commandes
        </Link>
      </p>
    </div>
  );
}
