'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { adminFetch, euros } from '../_lib/admin-api';
import { useAdminData } from './use-admin';

/** A product as the back office API returns it. */
export interface AdminProduct {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: 'draft' | 'active' | 'archived';
  seoTitle: string | null;
  seoDescription: string | null;
  variants: { id: string; sku: string; title: string; priceCents: number; compareAtCents: number | null; stock: number; lowStockThreshold: number; status: string }[];
  images: { id: string; url: string; alt: string }[];
}

/** French labels of product statuses. */
export const PRODUCT_STATUS_LABEL: Record<AdminProduct['status'], string> = { draft: 'Brouillon', active: 'En ligne', archived: 'Archivé' };

/** A slug from a title: lower case, no accents, words joined by dashes. */
export const slugify = (title: string): string =>
  title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);

/** The products and the form that creates one. */
export function ProductsAdmin() {
  const router = useRouter();
  const { data, error } = useAdminData<{ items: AdminProduct[]; total: number }>('/api/admin/products?limit=100');
  const [form, setForm] = useState({ title: '', slug: '', description: '' });
  const [message, setMessage] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    const res = await adminFetch<AdminProduct>('POST', '/api/admin/products', { title: form.title.trim(), slug: form.slug.trim() || slugify(form.title), description: form.description });
    if (!res.ok) return setMessage(res.message);
    router.push(`/admin/produits/${res.data.id}`);
  }

  return (
    <>
      <form className="panel admin-panel" onSubmit={create} noValidate>
        <h2>Nouveau produit</h2>
        <FormAlert message={message} />
        <Field label="Titre" name="title" required value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        <Field label="Slug (adresse de la page)" name="slug" hint={`Vide : ${slugify(form.title) || 'tiré du titre'}`} value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} />
        <Field label="Description" name="description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        <button type="submit" className="button">
          Créer le produit (brouillon)
        </button>
      </form>
      {error && <p className="flash flash--error">{error}</p>}
      {data && (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Produits</caption>
            <thead>
              <tr>
                <th scope="col">Produit</th>
                <th scope="col">Statut</th>
                <th scope="col" className="num">
                  Prix
                </th>
                <th scope="col" className="num">
                  Stock
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((product) => {
                const stock = product.variants.reduce((sum, v) => sum + v.stock, 0);
                const low = product.variants.some((v) => v.status === 'active' && v.stock <= v.lowStockThreshold);
                return (
                  <tr key={product.id}>
                    <td>
                      <Link href={`/admin/produits/${product.id}`}>{product.title}</Link>
                    </td>
                    <td>{PRODUCT_STATUS_LABEL[product.status]}</td>
                    <td className="num">{product.variants[0] ? euros(product.variants[0].priceCents) : '—'}</td>
                    <td className="num">
                      {stock}
                      {low && ' (stock bas)'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
