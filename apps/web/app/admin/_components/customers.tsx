'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { count, euros, frenchDateTime, ORDER_STATUS_LABEL } from '../_lib/admin-api';
import { Pager } from './pager';
import { useAdminData, useAdminWrite } from './use-admin';

interface CustomerPage {
  items: { id: string; email: string; name: string; orders: number; createdAt: string }[];
  page: number;
  limit: number;
  total: number;
}

interface CustomerDetail {
  customer: { id: string; email: string; name: string; createdAt: string; emailVerifiedAt: string | null };
  addresses: { id: string; name: string; line1: string; line2: string | null; postalCode: string; city: string; country: string; phone: string | null; isDefault: boolean }[];
  orders: { id: string; number: string; status: string; totalCents: number; createdAt: string }[];
}

/** The customers, newest first, searchable by e-mail or name. */
export function CustomersList() {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ page: String(page), limit: '20', ...(applied ? { q: applied } : {}) });
  const { data, error } = useAdminData<CustomerPage>(`/api/admin/customers?${query}`);

  function search(event: FormEvent) {
    event.preventDefault();
    setPage(1);
    setApplied(q.trim());
  }

  return (
    <>
      <form className="admin-filters" onSubmit={search} role="search">
        <label>
          Recherche
          <input name="q" placeholder="E-mail ou nom" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit" className="button">
          Chercher
        </button>
      </form>
      {error && <p className="flash flash--error">{error}</p>}
      {data && (
        <>
          <p>{count(data.total, 'cliente')}</p>
          <div className="admin-table-wrap">
            <table className="admin-table">
              <caption className="visually-hidden">Clientes</caption>
              <thead>
                <tr>
                  <th scope="col">Cliente</th>
                  <th scope="col">Inscrite le</th>
                  <th scope="col" className="num">
                    Commandes
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/admin/clientes/${c.id}`}>{c.name}</Link>
                      <br />
                      <small>{c.email}</small>
                    </td>
                    <td>{frenchDateTime(c.createdAt)}</td>
                    <td className="num">{c.orders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} total={data.total} limit={data.limit} onPage={setPage} />
        </>
      )}
    </>
  );
}

/** One customer: account, addresses, orders; GDPR export (JSON download) and erasure after a confirmation. */
export function CustomerView({ id }: { id: string }) {
  const { data, error, reload } = useAdminData<CustomerDetail>(`/api/admin/customers/${id}`);
  const [confirming, setConfirming] = useState(false);
  const { message, busy, send } = useAdminWrite(reload);

  async function erase() {
    await send('POST', `/api/admin/customers/${id}/erase`, undefined, 'Cliente effacée : son compte est anonymisé, ses commandes restent pour la comptabilité.');
    setConfirming(false);
  }

  if (error) return <p className="flash flash--error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  const { customer } = data;
  return (
    <>
      <h1 className="page-title">{customer.name}</h1>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
      <p>
        {customer.email}
        <br />
        Inscrite le {frenchDateTime(customer.createdAt)} — adresse e-mail {customer.emailVerifiedAt ? 'vérifiée' : 'non vérifiée'}
      </p>

      <h2>Adresses</h2>
      {data.addresses.length === 0 ? (
        <p>Aucune adresse enregistrée.</p>
      ) : (
        <div className="admin-grid">
          {data.addresses.map((a) => (
            <address key={a.id} className="panel">
              {a.name}
              {a.isDefault && ' (par défaut)'}
              <br />
              {a.line1}
              {a.line2 && (
                <>
                  <br />
                  {a.line2}
                </>
              )}
              <br />
              {a.postalCode} {a.city} ({a.country})
              {a.phone && (
                <>
                  <br />
                  {a.phone}
                </>
              )}
            </address>
          ))}
        </div>
      )}

      <h2>Commandes</h2>
      {data.orders.length === 0 ? (
        <p>Aucune commande.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Commandes de la cliente</caption>
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Date</th>
                <th scope="col">Statut</th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {data.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link href={`/admin/commandes/${o.id}`}>{o.number}</Link>
                  </td>
                  <td>{frenchDateTime(o.createdAt)}</td>
                  <td>{ORDER_STATUS_LABEL[o.status] ?? o.status}</td>
                  <td className="num">{euros(o.totalCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Données personnelles (RGPD)</h2>
      <div className="admin-actions">
        <a className="button button--ghost" href={`/api/admin/customers/${id}/export`} download>
          Télécharger ses données (JSON)
        </a>
        {!confirming && (
          <button type="button" className="button button--ghost" onClick={() => setConfirming(true)}>
            Effacer la cliente…
          </button>
        )}
      </div>
      {confirming && (
        <div className="panel admin-panel" role="group" aria-labelledby="effacer-titre">
          <h3 id="effacer-titre">Effacer {customer.name} ?</h3>
          <p>
            Son compte est anonymisé et ne peut plus se connecter, ses adresses sont supprimées. Ses commandes restent pour la comptabilité, sans nom ni adresse. C’est
            définitif.
          </p>
          <div className="admin-actions">
            <button type="button" className="button" disabled={busy} onClick={() => void erase()}>
              Oui, effacer définitivement
            </button>
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => setConfirming(false)}>
              Annuler
            </button>
          </div>
        </div>
      )}
    </>
  );
}
