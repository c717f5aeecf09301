'use client';

import Link from 'next/link';
import { useState } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { adminFetch, count, EMAIL_LABEL, euros, frenchDateTime } from '../_lib/admin-api';
import { useAdminData } from './use-admin';

interface Dashboard {
  today: { orders: number; revenueCents: number };
  month: { orders: number; revenueCents: number };
  toShip: number;
  lowStock: { variantId: string; productId: string; sku: string; title: string; stock: number; threshold: number }[];
  failedEmails: { id: string; template: string; to: string; lastError: string | null; createdAt: string }[];
}

/** The owner's day at a glance: sales, orders to ship, low stock, e-mails that failed (with a retry button). */
export function DashboardView() {
  const { data, error, reload } = useAdminData<Dashboard>('/api/admin/dashboard');
  const [message, setMessage] = useState<{ text: string; kind: 'error' | 'success' } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function retry(id: string) {
    setBusy(id);
    const res = await adminFetch('POST', `/api/admin/emails/${id}/retry`);
    setBusy(null);
    setMessage(res.ok ? { text: 'E-mail remis dans la file d’envoi : il part dans la minute.', kind: 'success' } : { text: res.message, kind: 'error' });
    if (res.ok) reload();
  }

  if (error) return <p className="flash flash--error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  return (
    <>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
      <div className="admin-stats">
        <section className="panel admin-stat" aria-labelledby="stat-jour">
          <h2 id="stat-jour">Aujourd’hui</h2>
          <p className="admin-stat__value">{euros(data.today.revenueCents)}</p>
          <p>{count(data.today.orders, 'commande', 'payée')}</p>
        </section>
        <section className="panel admin-stat" aria-labelledby="stat-mois">
          <h2 id="stat-mois">Ce mois-ci</h2>
          <p className="admin-stat__value">{euros(data.month.revenueCents)}</p>
          <p>{count(data.month.orders, 'commande', 'payée')}</p>
        </section>
        <section className="panel admin-stat" aria-labelledby="stat-expedier">
          <h2 id="stat-expedier">À expédier</h2>
          <p className="admin-stat__value">{data.toShip}</p>
          <p>
            <Link href="/admin/commandes">Voir les commandes</Link>
          </p>
        </section>
      </div>

      <h2>Stock bas</h2>
      {data.lowStock.length === 0 ? (
        <p>Aucune variante sous son seuil.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Variantes en stock bas</caption>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col" className="num">
                  Stock
                </th>
                <th scope="col" className="num">
                  Seuil
                </th>
              </tr>
            </thead>
            <tbody>
              {data.lowStock.map((v) => (
                <tr key={v.variantId}>
                  <td>
                    <Link href={`/admin/produits/${v.productId}`}>{v.title}</Link>
                    <br />
                    <small>{v.sku}</small>
                  </td>
                  <td className="num">{v.stock}</td>
                  <td className="num">{v.threshold}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>E-mails en échec</h2>
      {data.failedEmails.length === 0 ? (
        <p>Aucun : tous les e-mails sont partis.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">E-mails en échec</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Erreur</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {data.failedEmails.map((mail) => (
                <tr key={mail.id}>
                  <td>
                    {EMAIL_LABEL[mail.template] ?? mail.template}
                    <br />
                    <small>
                      {mail.to} — {frenchDateTime(mail.createdAt)}
                    </small>
                  </td>
                  <td>{mail.lastError ?? '—'}</td>
                  <td>
                    <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void retry(mail.id)} aria-label={`Renvoyer l’e-mail à ${mail.to}`}>
                      Renvoyer
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
