'use client';

import { useState, type FormEvent } from 'react';
import { FormAlert } from '../../../components/account/form-alert';
import { Field } from '../../../components/ui/field';
import { centsFromEuros, euros, eurosField, wholeNumber } from '../_lib/admin-api';
import { useAdminData, useAdminWrite } from './use-admin';

interface Discount {
  id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  minSubtotalCents: number;
  startsAt: string | null;
  endsAt: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  perEmailLimit: number | null;
  active: boolean;
  usedCount: number;
}

const EMPTY = { code: '', kind: 'percent' as Discount['kind'], value: '', minimum: '', startsOn: '', endsOn: '', usageLimit: '', perCustomer: '', perEmail: '' };
type Form = typeof EMPTY;

// Dates are whole days in the owner's time zone: from the start day's midnight to the end day's last instant.
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : null);
const dayAfter = (day: string) => {
  if (!day) return null;
  const next = new Date(`${day}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
};
const localDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
const dayOf = (iso: string | null, end = false) => (iso ? localDay(new Date(Date.parse(iso) - (end ? 1 : 0))) : '');
const frenchDay = (iso: string, end = false) => new Date(Date.parse(iso) - (end ? 1 : 0)).toLocaleDateString('fr-FR');

const toForm = (d: Discount): Form => ({
  code: d.code,
  kind: d.kind,
  value: d.kind === 'percent' ? String(d.value) : eurosField(d.value),
  minimum: d.minSubtotalCents > 0 ? eurosField(d.minSubtotalCents) : '',
  startsOn: dayOf(d.startsAt),
  endsOn: dayOf(d.endsAt, true),
  usageLimit: d.usageLimit === null ? '' : String(d.usageLimit),
  perCustomer: d.perCustomerLimit === null ? '' : String(d.perCustomerLimit),
  perEmail: d.perEmailLimit === null ? '' : String(d.perEmailLimit),
});

/** The request body of a form, or the French reason it cannot be sent. */
function toBody(form: Form): { body: Record<string, unknown> } | { problem: string } {
  const value = form.kind === 'percent' ? wholeNumber(form.value) : centsFromEuros(form.value);
  const numbers = { minSubtotalCents: centsFromEuros(form.minimum), usageLimit: wholeNumber(form.usageLimit), perCustomerLimit: wholeNumber(form.perCustomer), perEmailLimit: wholeNumber(form.perEmail) };
  if (value === null) return { problem: 'Indiquez la remise.' };
  if (Number.isNaN(value) || Object.values(numbers).some(Number.isNaN)) return { problem: 'Un nombre est mal écrit : chiffres seulement, par exemple 10 ou 5,50.' };
  return {
    body: { code: form.code.trim(), kind: form.kind, value, ...numbers, minSubtotalCents: numbers.minSubtotalCents ?? 0, startsAt: dayStart(form.startsOn), endsAt: dayAfter(form.endsOn) },
  };
}

const describeValue = (d: Discount) => (d.kind === 'percent' ? `${d.value} %` : euros(d.value));

function conditions(d: Discount): string {
  const parts = [
    d.minSubtotalCents > 0 ? `dès ${euros(d.minSubtotalCents)}` : null,
    d.startsAt ? `à partir du ${frenchDay(d.startsAt)}` : null,
    d.endsAt ? `jusqu’au ${frenchDay(d.endsAt, true)}` : null,
    d.perCustomerLimit !== null ? `${d.perCustomerLimit} par compte` : null,
    d.perEmailLimit !== null ? `${d.perEmailLimit} par e-mail` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'aucune';
}

/** The discount codes: their use counts, a form to create or edit one, and a switch to disable or enable each. */
export function DiscountsAdmin() {
  const { data, error, reload } = useAdminData<{ items: Discount[] }>('/api/admin/discounts');
  const [form, setForm] = useState<Form>(EMPTY);
  const [editing, setEditing] = useState<Discount | null>(null);
  const { message, setMessage, busy, send } = useAdminWrite(reload);

  async function save(event: FormEvent) {
    event.preventDefault();
    const built = toBody(form);
    if ('problem' in built) return setMessage({ text: built.problem, kind: 'error' });
    const ok = editing
      ? await send('PATCH', `/api/admin/discounts/${editing.id}`, built.body, `Code ${built.body.code as string} enregistré.`)
      : await send('POST', '/api/admin/discounts', built.body, `Code ${(built.body.code as string).toUpperCase()} créé.`);
    if (ok) {
      setForm(EMPTY);
      setEditing(null);
    }
  }

  function edit(d: Discount) {
    setEditing(d);
    setForm(toForm(d));
    setMessage(null);
  }

  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  return (
    <>
      <form className="panel admin-panel" onSubmit={save} noValidate aria-labelledby="code-form-titre">
        <h2 id="code-form-titre">{editing ? `Modifier le code ${editing.code}` : 'Nouveau code promo'}</h2>
        <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
        <div className="admin-grid">
          <Field label="Code" name="code" required hint="Lettres, chiffres, - ou _ ; les clientes le tapent sans se soucier des majuscules." value={form.code} onChange={set('code')} />
          <div className="field">
            <label htmlFor="champ-type">Type de remise</label>
            <select id="champ-type" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Discount['kind'] })}>
              <option value="percent">Pourcentage</option>
              <option value="fixed">Montant fixe</option>
            </select>
          </div>
          <Field
            label={form.kind === 'percent' ? 'Remise en %' : 'Remise en euros'}
            name="value"
            required
            inputMode={form.kind === 'percent' ? 'numeric' : 'decimal'}
            value={form.value}
            onChange={set('value')}
          />
          <Field label="Achat minimum en euros" name="minimum" inputMode="decimal" value={form.minimum} onChange={set('minimum')} />
          <Field label="Valable à partir du" name="startsOn" type="date" value={form.startsOn} onChange={set('startsOn')} />
          <Field label="Valable jusqu’au" name="endsOn" type="date" value={form.endsOn} onChange={set('endsOn')} />
          <Field label="Utilisations au total" name="usageLimit" inputMode="numeric" hint="Vide : sans limite." value={form.usageLimit} onChange={set('usageLimit')} />
          <Field label="Utilisations par compte" name="perCustomer" inputMode="numeric" value={form.perCustomer} onChange={set('perCustomer')} />
          <Field label="Utilisations par adresse e-mail" name="perEmail" inputMode="numeric" value={form.perEmail} onChange={set('perEmail')} />
        </div>
        <div className="admin-actions">
          <button type="submit" className="button" disabled={busy}>
            {editing ? 'Enregistrer' : 'Créer le code'}
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
            <caption className="visually-hidden">Codes promo</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Remise</th>
                <th scope="col">Conditions</th>
                <th scope="col" className="num">
                  Utilisations
                </th>
                <th scope="col">Statut</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <strong>{d.code}</strong>
                  </td>
                  <td>{describeValue(d)}</td>
                  <td>{conditions(d)}</td>
                  <td className="num">
                    {d.usedCount}
                    {d.usageLimit !== null && ` / ${d.usageLimit}`}
                  </td>
                  <td>{d.active ? 'Actif' : 'Désactivé'}</td>
                  <td>
                    <div className="admin-row-actions">
                      <button type="button" className="button button--ghost button--small" onClick={() => edit(d)} aria-label={`Modifier ${d.code}`}>
                        Modifier
                      </button>
                      <button
                        type="button"
                        className="button button--ghost button--small"
                        disabled={busy}
                        aria-label={`${d.active ? 'Désactiver' : 'Réactiver'} ${d.code}`}
                        onClick={() => void send('PATCH', `/api/admin/discounts/${d.id}`, { active: !d.active }, `Code ${d.code} ${d.active ? 'désactivé' : 'réactivé'}.`)}
                      >
                        {d.active ? 'Désactiver' : 'Réactiver'}
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
