'use client';

import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { centsFromEuros, euros, eurosField, wholeNumber } from '../_lib/admin-api';
import { slugify } from './products';
import { useAdminData, useAdminWrite } from './use-admin';

interface Method {
  id: string;
  name: string;
  priceCents: number;
  freeOverCents: number | null;
  position: number;
  active: boolean;
  orders: number;
}

const EMPTY = { id: '', name: '', price: '', freeOver: '', position: '' };
type Form = typeof EMPTY;

/** The shipping methods: orders that used each, a form to create or edit one, and a switch to stop or resume offering it. */
export function ShippingMethodsAdmin() {
  const { data, error, reload } = useAdminData<{ items: Method[] }>('/api/admin/shipping-methods');
  const [form, setForm] = useState<Form>(EMPTY);
  const [editing, setEditing] = useState<Method | null>(null);
  const { message, setMessage, busy, send } = useAdminWrite(reload);

  async function save(event: FormEvent) {
    event.preventDefault();
    const priceCents = centsFromEuros(form.price);
    const freeOverCents = centsFromEuros(form.freeOver);
    const position = wholeNumber(form.position);
    if (priceCents === null) return setMessage({ text: 'Indiquez le prix (0 pour un mode gratuit).', kind: 'error' });
    if ([priceCents, freeOverCents, position].some(Number.isNaN)) return setMessage({ text: 'Un nombre est mal écrit : chiffres seulement, par exemple 4,90.', kind: 'error' });
    const fields = { name: form.name.trim(), priceCents, freeOverCents, position: position ?? 0 };
    const ok = editing
      ? await send('PATCH', `/api/admin/shipping-methods/${editing.id}`, fields, `« ${fields.name} » enregistré.`)
      : await send('POST', '/api/admin/shipping-methods', { id: form.id.trim() || slugify(form.name), ...fields }, `« ${fields.name} » créé : il est proposé à la commande.`);
    if (ok) {
      setForm(EMPTY);
      setEditing(null);
    }
  }

  function edit(m: Method) {
    setEditing(m);
    setForm({ id: m.id, name: m.name, price: eurosField(m.priceCents), freeOver: eurosField(m.freeOverCents), position: String(m.position) });
    setMessage(null);
  }

  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  return (
    <>
      <form className="panel admin-panel" onSubmit={save} noValidate aria-labelledby="livraison-form-titre">
        <h2 id="livraison-form-titre">{editing ? `Modifier « ${editing.name} »` : 'Nouveau mode de livraison'}</h2>
        <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
        <div className="admin-grid">
          <Field label="Nom affiché" name="name" required value={form.name} onChange={set('name')} />
          {!editing && (
            <Field label="Identifiant" name="id" hint={`Ne change plus ensuite. Vide : ${slugify(form.name) || 'tiré du nom'}`} value={form.id} onChange={set('id')} />
          )}
          <Field label="Prix TTC en euros" name="price" required inputMode="decimal" value={form.price} onChange={set('price')} />
          <Field label="Gratuit dès (euros d’achat)" name="freeOver" inputMode="decimal" hint="Vide : jamais gratuit." value={form.freeOver} onChange={set('freeOver')} />
          <Field label="Ordre d’affichage" name="position" inputMode="numeric" value={form.position} onChange={set('position')} />
        </div>
        <div className="admin-actions">
          <button type="submit" className="button" disabled={busy}>
            {editing ? 'Enregistrer' : 'Créer le mode de livraison'}
          </button>
          {editing && (
            <button type="button" className="button button--ghost" onClick={() => (setEditing(null), setForm(EMPTY))}>
              Annuler la modification
            </button>
          )}
        </div>
      </form>

      {error && <p className="flash flash--error">{error}</p>}
      {data && (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Modes de livraison</caption>
            <thead>
              <tr>
                <th scope="col">Mode</th>
                <th scope="col" className="num">
                  Prix
                </th>
                <th scope="col" className="num">
                  Gratuit dès
                </th>
                <th scope="col" className="num">
                  Commandes
                </th>
                <th scope="col">Statut</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.name}
                    <br />
                    <small>{m.id}</small>
                  </td>
                  <td className="num">{euros(m.priceCents)}</td>
                  <td className="num">{m.freeOverCents === null ? '—' : euros(m.freeOverCents)}</td>
                  <td className="num">{m.orders}</td>
                  <td>{m.active ? 'Proposé' : 'Désactivé'}</td>
                  <td>
                    <div className="admin-row-actions">
                      <button type="button" className="button button--ghost button--small" onClick={() => edit(m)} aria-label={`Modifier ${m.name}`}>
                        Modifier
                      </button>
                      <button
                        type="button"
                        className="button button--ghost button--small"
                        disabled={busy}
                        aria-label={`${m.active ? 'Désactiver' : 'Réactiver'} ${m.name}`}
                        onClick={() => void send('PATCH', `/api/admin/shipping-methods/${m.id}`, { active: !m.active }, `« ${m.name} » ${m.active ? 'désactivé : il n’est plus proposé' : 'réactivé'}.`)}
                      >
                        {m.active ? 'Désactiver' : 'Réactiver'}
                      </button>
                    </div>
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
