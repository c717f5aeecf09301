'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { count, euros, frenchDateTime, ORDER_STATUS_LABEL } from '../_lib/admin-api';
import { Pager } from './pager';
import { useAdminData } from './use-admin';

interface OrderList {
  items: { id: string; number: string; status: string; email: string; name: string; totalCents: number; createdAt: string }[];
  page: number;
  limit: number;
  total: number;
}

/** The orders, newest first, with filters, pages and the accountant's CSV export. */
export function OrdersList() {
  const [filters, setFilters] = useState({ q: '', status: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const query = new URLSearchParams(Object.entries({ ...applied, page: String(page), limit: '20' }).filter(([, v]) => v !== ''));
  const { data, error } = useAdminData<OrderList>(`/api/admin/orders?${query}`);
  const exportQuery = new URLSearchParams(Object.entries({ from: applied.from, to: applied.to }).filter(([, v]) => v !== ''));

  function apply(event: FormEvent) {
    event.preventDefault();
    setPage(1);
    setApplied(filters);
  }

  return (
    <>
      <form className="admin-filters" onSubmit={apply} role="search">
        <label>
          Recherche
          <input name="q" placeholder="N°, e-mail ou nom" value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
        </label>
        <label>
          Statut
          <select name="status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="">Tous</option>
            {Object.entries(ORDER_STATUS_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Du
          <input type="date" name="from" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label>
          Au
          <input type="date" name="to" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <button type="submit" className="button">
          Filtrer
        </button>
      </form>
      <p>
        <a className="button button--ghost button--small" href={`/api/admin/exports/orders.csv?${exportQuery}`} download>
          Exporter en CSV (comptabilité)
        </a>
      </p>
      {error && <p className="flash flash--error">{error}</p>}
      {data && (
        <>
          <p>{count(data.total, 'commande')}</p>
          <div className="admin-table-wrap">
            <table className="admin-table">
              <caption className="visually-hidden">Commandes</caption>
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Date</th>
                  <th scope="col">Cliente</th>
                  <th scope="col">Statut</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((order) => (
                  <tr key={order.id}>
                    <td>
                      <Link href={`/admin/commandes/${order.id}`}>{order.number}</Link>
                    </td>
                    <td>{frenchDateTime(order.createdAt)}</td>
                    <td>
                      {order.name}
                      <br />
                      <small>{order.email}</small>
                    </td>
                    <td>{ORDER_STATUS_LABEL[order.status] ?? order.status}</td>
                    <td className="num">{euros(order.totalCents)}</td>
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
