'use client';

import { useState } from 'react';
import { frenchDateTime } from '../_lib/admin-api';
import { Pager } from './pager';
import { useAdminData } from './use-admin';

interface AuditPage {
  items: { id: number; actorEmail: string; action: string; entityType: string; entityId: string; before: unknown; after: unknown; createdAt: string }[];
  page: number;
  limit: number;
  total: number;
}

const ACTION_LABEL: Record<string, string> = {
  'order.prepare': 'Commande en préparation',
  'order.ship': 'Commande expédiée',
  'order.deliver': 'Commande livrée',
  'order.cancel': 'Commande annulée',
  'order.refund': 'Remboursement',
  'invoice.issue': 'Facture émise',
  'product.create': 'Produit créé',
  'product.update': 'Produit modifié',
  'variant.create': 'Variante créée',
  'variant.update': 'Variante modifiée',
  'variant.stock': 'Stock ajusté',
  'image.create': 'Image ajoutée',
  'image.update': 'Texte d’une image modifié',
  'image.reorder': 'Images réordonnées',
  'category.create': 'Catégorie créée',
  'category.update': 'Catégorie modifiée',
  'discount.create': 'Code promo créé',
  'discount.update': 'Code promo modifié',
  'shipping_method.create': 'Mode de livraison créé',
  'shipping_method.update': 'Mode de livraison modifié',
  'customer.erase': 'Cliente effacée (RGPD)',
  'email.retry': 'E-mail renvoyé',
};

const show = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value, null, 1));

/** Every write made in the back office: who, what, before and after, when. */
export function AuditLog() {
  const [page, setPage] = useState(1);
  const { data, error } = useAdminData<AuditPage>(`/api/admin/audit?page=${page}&limit=50`);
  if (error) return <p className="flash flash--error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  return (
    <>
      {/* Wider than a phone: it scrolls sideways, so the keyboard must be able to reach and scroll it. */}
      <div className="admin-table-wrap" tabIndex={0} role="region" aria-label="Journal des modifications (défile horizontalement)">
        <table className="admin-table admin-table--wide">
          <caption className="visually-hidden">Journal des modifications</caption>
          <thead>
            <tr>
              <th scope="col">Quand</th>
              <th scope="col">Qui</th>
              <th scope="col">Quoi</th>
              <th scope="col">Avant</th>
              <th scope="col">Après</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((entry) => (
              <tr key={entry.id}>
                <td>{frenchDateTime(entry.createdAt)}</td>
                <td>{entry.actorEmail}</td>
                <td>
                  {ACTION_LABEL[entry.action] ?? entry.action}
                  <br />
                  <small>
                    {entry.entityType} {entry.entityId.slice(0, 8)}
                  </small>
                </td>
                <td>
                  <pre className="admin-pre">{show(entry.before)}</pre>
                </td>
                <td>
                  <pre className="admin-pre">{show(entry.after)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} total={data.total} limit={data.limit} onPage={setPage} labels={['Plus récents', 'Plus anciens']} />
    </>
  );
}
