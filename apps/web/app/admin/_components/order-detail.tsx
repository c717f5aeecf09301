'use client';

import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { EMAIL_LABEL, euros, frenchDateTime, ORDER_STATUS_LABEL } from '../_lib/admin-api';
import { useAdminData, useAdminWrite } from './use-admin';

interface Detail {
  order: {
    id: string;
    number: string;
    status: string;
    email: string;
    totalCents: number;
    vatCents: number;
    shippingCents: number;
    createdAt: string;
    shippingAddress: { name: string; line1: string; line2?: string; postalCode: string; city: string; country: string };
    shippingMethod: { name: string };
    lines: { sku: string; title: string; variantTitle: string; quantity: number; lineTotalCents: number }[];
  };
  shipping: { carrier: string | null; trackingNumber: string | null };
  payment: { provider: string; status: string; amountCents: number; refundedCents: number } | null;
  refunds: { id: string; amountCents: number; status: string; note: string | null; createdAt: string }[];
  emails: { template: string; status: string; createdAt: string }[];
  invoice: { number: string } | null;
}

/** One order: lines, address, payment, e-mails, and the owner's actions. */
export function OrderDetail({ id }: { id: string }) {
  const { data, error, reload } = useAdminData<Detail>(`/api/admin/orders/${id}`);
  const [ship, setShip] = useState({ carrier: 'Colissimo', trackingNumber: '' });
  const [refund, setRefund] = useState('');
  const { message, setMessage, busy, send } = useAdminWrite(reload);

  const act = (path: string, body: unknown, done: string, headers: Record<string, string> = {}) => send('POST', `/api/admin/orders/${id}/${path}`, body, done, headers);

  function submitShip(event: FormEvent) {
    event.preventDefault();
    void act('ship', { carrier: ship.carrier.trim(), trackingNumber: ship.trackingNumber.trim() }, 'Commande expédiée : la cliente reçoit l’e-mail avec le suivi.');
  }

  function submitRefund(event: FormEvent) {
    event.preventDefault();
    const value = refund.trim().replace(',', '.');
    const amountCents = value === '' ? undefined : Math.round(Number(value) * 100);
    if (amountCents !== undefined && !(amountCents > 0)) return setMessage({ text: 'Indiquez un montant positif en euros, par exemple 12,50.', kind: 'error' });
    void act('refunds', amountCents === undefined ? {} : { amountCents }, 'Remboursement enregistré.', { 'idempotency-key': crypto.randomUUID() });
  }

  if (error) return <p className="flash flash--error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  const { order } = data;
  const can = (status: string[]) => status.includes(order.status);
  const refundable = data.payment ? data.payment.amountCents - data.payment.refundedCents : 0;

  return (
    <>
      <h1 className="page-title">Commande {order.number}</h1>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
      <p>
        <strong>{ORDER_STATUS_LABEL[order.status] ?? order.status}</strong> — passée le {frenchDateTime(order.createdAt)} — {euros(order.totalCents)} TTC (dont TVA{' '}
        {euros(order.vatCents)})
      </p>
      <div className="admin-actions">
        {can(['paid']) && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('prepare', {}, 'Commande en préparation.')}>
            Passer en préparation
          </button>
        )}
        {can(['shipped']) && (
          <button type="button" className="button" disabled={busy} onClick={() => void act('deliver', {}, 'Commande livrée.')}>
            Marquer livrée
          </button>
        )}
        {can(['paid', 'preparing']) && (
          <button type="button" className="button button--ghost" disabled={busy} onClick={() => void act('cancel', {}, 'Commande annulée, stock remis en rayon.')}>
            Annuler la commande
          </button>
        )}
        <a className="button button--ghost" href={`/api/admin/orders/${id}/packing-slip.pdf`}>
          Bon de préparation
        </a>
        {data.invoice ? (
          <a className="button button--ghost" href={`/api/admin/orders/${id}/invoice.pdf`}>
            Facture {data.invoice.number} (PDF)
          </a>
        ) : (
          can(['paid', 'preparing', 'shipped', 'delivered', 'refunded']) && (
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => void act('invoice', {}, 'Facture émise.')}>
              Émettre la facture
            </button>
          )
        )}
      </div>
      <div className="admin-grid">
        {can(['paid', 'preparing']) && (
          <form className="panel admin-panel" onSubmit={submitShip} noValidate>
            <h2>Expédier</h2>
            <Field label="Transporteur" name="carrier" required value={ship.carrier} onChange={(e) => setShip({ ...ship, carrier: e.target.value })} />
            <Field label="Numéro de suivi" name="trackingNumber" required value={ship.trackingNumber} onChange={(e) => setShip({ ...ship, trackingNumber: e.target.value })} />
            <button type="submit" className="button" disabled={busy}>
              Marquer expédiée
            </button>
          </form>
        )}
        {data.payment?.status === 'succeeded' && refundable > 0 && (
          <form className="panel admin-panel" onSubmit={submitRefund} noValidate>
            <h2>Rembourser</h2>
            <Field
              label="Montant en euros"
              name="amount"
              hint={`Vide : tout ce qui reste (${euros(refundable)}).`}
              inputMode="decimal"
              value={refund}
              onChange={(e) => setRefund(e.target.value)}
            />
            <button type="submit" className="button" disabled={busy}>
              Rembourser
            </button>
          </form>
        )}
        <section className="panel admin-panel">
          <h2>Livraison</h2>
          <p>
            {order.shippingAddress.name}
            <br />
            {order.shippingAddress.line1}
            {order.shippingAddress.line2 && (
              <>
                <br />
                {order.shippingAddress.line2}
              </>
            )}
            <br />
            {order.shippingAddress.postalCode} {order.shippingAddress.city} ({order.shippingAddress.country})
          </p>
          <p>
            {order.shippingMethod.name}
            {data.shipping.trackingNumber && ` — ${data.shipping.carrier} ${data.shipping.trackingNumber}`}
          </p>
          <p>{order.email}</p>
        </section>
      </div>
      <h2>Articles</h2>
      <div className="admin-table-wrap">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Article</th>
              <th scope="col" className="num">
                Qté
              </th>
              <th scope="col" className="num">
                Total TTC
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.sku}>
                <td>
                  {line.title} — {line.variantTitle}
                  <br />
                  <small>{line.sku}</small>
                </td>
                <td className="num">{line.quantity}</td>
                <td className="num">{euros(line.lineTotalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Paiement</h2>
      {data.payment ? (
        <p>
          {data.payment.provider} — {data.payment.status} — encaissé {euros(data.payment.amountCents)}, remboursé {euros(data.payment.refundedCents)}
        </p>
      ) : (
        <p>Aucun paiement.</p>
      )}
      {data.refunds.length > 0 && (
        <ul>
          {data.refunds.map((r) => (
            <li key={r.id}>
              {frenchDateTime(r.createdAt)} : {euros(r.amountCents)} ({r.status}){r.note ? ` — ${r.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2>E-mails envoyés</h2>
      <ul>
        {data.emails.map((mail) => (
          <li key={`${mail.template}-${mail.createdAt}`}>
            {EMAIL_LABEL[mail.template] ?? mail.template} — {mail.status === 'sent' ? 'envoyé' : mail.status} ({frenchDateTime(mail.createdAt)})
          </li>
        ))}
      </ul>
    </>
  );
}
