'use client';

import { useState, type DragEvent, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { adminFetch, euros } from '../_lib/admin-api';
import { ProductImages } from './product-images';
import { PRODUCT_STATUS_LABEL, type AdminProduct } from './products';
import { useAdminData } from './use-admin';

const toCents = (value: string): number => Math.round(Number(value.trim().replace(',', '.')) * 100);

/** One product: its fields and status, variants, stock adjustments and images (drag and drop to add and to reorder). */
export function ProductEditor({ id }: { id: string }) {
  const { data, error, reload } = useAdminData<AdminProduct>(`/api/admin/products/${id}`);
  const [message, setMessage] = useState<{ text: string; kind: 'error' | 'success' } | null>(null);
  const [variant, setVariant] = useState({ title: '', sku: '', option: '', price: '', compareAt: '', stock: '0' });
  const [stock, setStock] = useState({ variantId: '', delta: '', reason: '' });
  const [alt, setAlt] = useState('');
  const [over, setOver] = useState(false);

  async function run(call: Promise<{ ok: boolean; message?: string }>, done: string) {
    const res = await call;
    setMessage(res.ok ? { text: done, kind: 'success' } : { text: res.message ?? 'Erreur.', kind: 'error' });
    if (res.ok) reload();
  }

  function addVariant(event: FormEvent) {
    event.preventDefault();
    void run(
      adminFetch('POST', `/api/admin/products/${id}/variants`, {
        title: variant.title.trim(),
        sku: variant.sku.trim(),
        options: variant.option.trim() ? { taille: variant.option.trim() } : {},
        priceCents: toCents(variant.price),
        compareAtCents: variant.compareAt.trim() ? toCents(variant.compareAt) : null,
        stock: Number(variant.stock),
      }),
      'Variante ajoutée.',
    ).then(() => setVariant({ title: '', sku: '', option: '', price: '', compareAt: '', stock: '0' }));
  }

  function adjust(event: FormEvent) {
    event.preventDefault();
    void run(adminFetch('POST', `/api/admin/variants/${stock.variantId}/stock`, { delta: Number(stock.delta), reason: stock.reason.trim() }), 'Stock ajusté.');
  }

  async function upload(files: FileList | null) {
    for (const file of Array.from(files ?? [])) {
      await run(adminFetch('POST', `/api/admin/products/${id}/images?alt=${encodeURIComponent(alt)}`, file), `Image « ${file.name} » ajoutée.`);
    }
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    void upload(event.dataTransfer.files);
  }

  if (error) return <p className="flash flash--error">{error}</p>;
  if (!data) return <p>Chargement…</p>;

  return (
    <>
      <h1 className="page-title">{data.title}</h1>
      <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
      <p>
        Statut : <strong>{PRODUCT_STATUS_LABEL[data.status]}</strong> — <a href={`/produits/${data.slug}`}>voir la page</a>
      </p>
      <div className="admin-actions">
        {(['active', 'draft', 'archived'] as const)
          .filter((s) => s !== data.status)
          .map((s) => (
            <button key={s} type="button" className="button button--ghost" onClick={() => void run(adminFetch('PATCH', `/api/admin/products/${id}`, { status: s }), `Produit : ${PRODUCT_STATUS_LABEL[s]}.`)}>
              {s === 'active' ? 'Mettre en ligne' : s === 'draft' ? 'Repasser en brouillon' : 'Archiver'}
            </button>
          ))}
      </div>
      <h2>Variantes</h2>
      <div className="admin-table-wrap">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Variante</th>
              <th scope="col" className="num">
                Prix
              </th>
              <th scope="col" className="num">
                Stock
              </th>
            </tr>
          </thead>
          <tbody>
            {data.variants.map((v) => (
              <tr key={v.id}>
                <td>
                  {v.title}
                  <br />
                  <small>{v.sku}</small>
                </td>
                <td className="num">
                  {euros(v.priceCents)}
                  {v.compareAtCents !== null && (
                    <>
                      <br />
                      <s>{euros(v.compareAtCents)}</s>
                    </>
                  )}
                </td>
                <td className="num">
                  {v.stock}
                  {v.stock <= v.lowStockThreshold && ' (bas)'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="admin-grid">
        <form className="panel admin-panel" onSubmit={addVariant} noValidate>
          <h2>Ajouter une variante</h2>
          <Field label="Nom de la variante" name="variantTitle" required value={variant.title} onChange={(e) => setVariant({ ...variant, title: e.target.value })} />
          <Field label="Référence (SKU)" name="sku" required value={variant.sku} onChange={(e) => setVariant({ ...variant, sku: e.target.value })} />
          <Field label="Taille" name="option" value={variant.option} onChange={(e) => setVariant({ ...variant, option: e.target.value })} />
          <Field label="Prix TTC en euros" name="price" required inputMode="decimal" value={variant.price} onChange={(e) => setVariant({ ...variant, price: e.target.value })} />
          <Field label="Prix barré en euros" name="compareAt" inputMode="decimal" value={variant.compareAt} onChange={(e) => setVariant({ ...variant, compareAt: e.target.value })} />
          <Field label="Stock" name="stock" required inputMode="numeric" value={variant.stock} onChange={(e) => setVariant({ ...variant, stock: e.target.value })} />
          <button type="submit" className="button">
            Ajouter la variante
          </button>
        </form>
        {data.variants.length > 0 && (
          <form className="panel admin-panel" onSubmit={adjust} noValidate>
            <h2>Ajuster le stock</h2>
            <label htmlFor="champ-variante">Variante</label>
            <select id="champ-variante" value={stock.variantId} onChange={(e) => setStock({ ...stock, variantId: e.target.value })}>
              <option value="">Choisir…</option>
              {data.variants.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.title} ({v.stock})
                </option>
              ))}
            </select>
            <Field label="Variation (ex. 5 ou -2)" name="delta" required inputMode="numeric" value={stock.delta} onChange={(e) => setStock({ ...stock, delta: e.target.value })} />
            <Field label="Motif" name="reason" required value={stock.reason} onChange={(e) => setStock({ ...stock, reason: e.target.value })} />
            <button type="submit" className="button">
              Ajuster
            </button>
          </form>
        )}
        <section className="panel admin-panel">
          <h2>Images</h2>
          <Field label="Texte alternatif (décrit l’image)" name="alt" value={alt} onChange={(e) => setAlt(e.target.value)} />
          <div
            className={over ? 'admin-drop admin-drop--over' : 'admin-drop'}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={drop}
          >
            <p>Glissez vos photos ici, ou</p>
            <label htmlFor="champ-images" className="button button--ghost button--small">
              Choisir des fichiers
            </label>
            <input id="champ-images" className="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" multiple onChange={(e) => void upload(e.target.files)} />
          </div>
          <ProductImages productId={id} images={data.images} onSaved={reload} onError={(text) => setMessage({ text, kind: 'error' })} />
        </section>
      </div>
    </>
  );
}
