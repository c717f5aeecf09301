'use client';

import { useEffect, useState } from 'react';
import type { Order } from '@girlycrea/contract';
import { orderStatusLabel, shop } from '../../lib/api/client';
import { DeliveryDetails } from './delivery-details';
import { OrderLines } from './order-lines';

/** An order opened from the confirmation e-mail's link (`?token=` lets a guest see it anywhere). */
export function OrderTracking({ id, token }: { id: string; token?: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void shop.getOrder(id, token).then((result) => (result.ok ? setOrder(result.data) : setError(result.message)));
  }, [id, token]);

  if (error) {
    return (
      <div className="notice notice--warning" role="alert">
        <h1 className="notice__title">Commande introuvable</h1>
        <p>Ce lien est incomplet ou ne correspond à aucune commande. Utilisez le lien complet de l’e-mail de confirmation.</p>
      </div>
    );
  }
  if (!order) return <p role="status">Chargement de votre commande…</p>;
  return (
    <>
      <h1 className="page-title">Commande n° <span className="order-number">{order.number}</span></h1>
      <section className="panel" aria-labelledby="titre-suivi">
        <h2 id="titre-suivi" className="panel__title">
          Statut : <span className={`status status--${order.status}`}>{orderStatusLabel(order.status)}</span>
        </h2>
        <OrderLines order={order} />
      </section>
      <DeliveryDetails order={order} />
    </>
  );
}
