'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { Order } from '@girlycrea/contract';
import { formatPrice, orderStatusLabel, shop } from '../../lib/api/client';
import { DeliveryDetails } from '../checkout/delivery-details';
import { OrderLines } from '../checkout/order-lines';
import { useRequiredUser } from './use-user';

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });

function orderDate(order: Order): string {
  const date = new Date(order.createdAt);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** The signed-in customer's orders, newest first. */
export function OrdersList() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void shop.getOrders().then((result) => (result.ok ? setOrders(result.data) : setError(result.message)));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!orders) return <p role="status">Chargement des commandes…</p>;
  if (orders.length === 0) return <p>Vous n’avez pas encore passé de commande.</p>;
  return (
    <ul className="orders">
      {orders.map((order) => (
        <li key={order.id} className="orders__item">
          <Link href={`/compte/commandes/${encodeURIComponent(order.id)}`} className="orders__number">
            Commande n° <span className="order-number">{order.number}</span>
          </Link>
          <span>{orderDate(order)}</span>
          <span className={`status status--${order.status}`}>{orderStatusLabel(order.status)}</span>
          <span className="orders__total">{formatPrice(order.totalCents)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The orders page (signed-in only). */
export function OrdersPage() {
  const { user, error } = useRequiredUser();
  if (error) return <p role="alert">{error}</p>;
  if (!user) return <p role="status">Chargement…</p>;
  return (
    <section className="panel">
      <OrdersList />
    </section>
  );
}

/** One order of the signed-in customer. */
export function OrderDetail({ id }: { id: string }) {
  const { user } = useRequiredUser();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (user) void shop.getOrder(id).then((result) => (result.ok ? setOrder(result.data) : setError(result.message)));
  }, [user, id]);
  if (error) return <p role="alert">{error}</p>;
  if (!order) return <p role="status">Chargement de la commande…</p>;
  return (
    <>
      <section className="panel" aria-labelledby="titre-commande">
        <h2 id="titre-commande" className="panel__title">
          Commande n° <span className="order-number">{order.number}</span>
        </h2>
        <p>
          Passée le {orderDate(order)} · <span className={`status status--${order.status}`}>{orderStatusLabel(order.status)}</span>
        </p>
        <OrderLines order={order} />
      </section>
      <DeliveryDetails order={order} />
    </>
  );
}
