'use client';

import { useEffect, useState, type FormEvent } from 'react';
import type { Address, AddressLinesInput } from '@girlycrea/contract';
import { shop } from '../../lib/api/client';
import { ADDRESS_KEYS, AddressInputs, addressErrors, cleanAddress, COUNTRIES, EMPTY_ADDRESS } from '../checkout/address-fields';
import { useFormErrors } from '../ui/use-form-errors';
import { FormAlert } from './form-alert';
import { useRequiredUser } from './use-user';

/** Saved addresses: list, add (optionally as default) and delete. */
export function AddressBook() {
  const { user, error: userError } = useRequiredUser();
  const [addresses, setAddresses] = useState<Address[] | null>(null);
  const [draft, setDraft] = useState<AddressLinesInput>(EMPTY_ADDRESS);
  const [isDefault, setIsDefault] = useState(false);
  const { formRef, errors, report, recheck } = useFormErrors();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  async function load() {
    const result = await shop.listAddresses();
    if (result.ok) setAddresses(result.data);
    else setMessage({ kind: 'error', text: result.message });
  }
  useEffect(() => {
    if (user) void load();
  }, [user]);

  async function add(event: FormEvent) {
    event.preventDefault();
    const found = addressErrors(draft);
    report(found);
    if (Object.keys(found).length > 0) return setMessage({ kind: 'error', text: 'Vérifiez les champs signalés.' });
    const result = await shop.addAddress({ ...cleanAddress(draft), isDefault });
    if (!result.ok) {
      report(result.fields);
      return setMessage({ kind: 'error', text: result.message });
    }
    setDraft(EMPTY_ADDRESS);
    setIsDefault(false);
    setMessage({ kind: 'success', text: 'Adresse enregistrée.' });
    await load();
  }

  async function remove(address: Address) {
    const result = await shop.removeAddress(address.id);
    setMessage(result.ok ? { kind: 'success', text: 'Adresse supprimée.' } : { kind: 'error', text: result.message });
    await load();
  }

  if (userError) return <p role="alert">{userError}</p>;
  if (!user) return <p role="status">Chargement…</p>;
  const country = (code: string) => COUNTRIES.find((c) => c.code === code)?.name ?? code;

  return (
    <div className="account__grid">
      <section className="panel" aria-labelledby="titre-carnet">
        <h2 id="titre-carnet" className="panel__title">
          Adresses enregistrées
        </h2>
        {!addresses ? (
          <p role="status">Chargement…</p>
        ) : addresses.length === 0 ? (
          <p>Aucune adresse pour le moment.</p>
        ) : (
          <ul className="addresses">
            {addresses.map((a) => (
              <li key={a.id} className="address-card">
                <address>
                  <strong>{a.name}</strong>
                  <br />
                  {a.line1}
                  {a.line2 && (
                    <>
                      <br />
                      {a.line2}
                    </>
                  )}
                  <br />
                  {a.postalCode} {a.city}, {country(a.country)}
                </address>
                {a.isDefault && <span className="badge-inline">Par défaut</span>}
                <button type="button" className="link-button" onClick={() => void remove(a)}>
                  Supprimer<span className="visually-hidden"> l’adresse {a.line1}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form ref={formRef} className="panel" onSubmit={add} noValidate aria-labelledby="titre-nouvelle-adresse">
        <h2 id="titre-nouvelle-adresse" className="panel__title">
          Ajouter une adresse
        </h2>
        <FormAlert message={message?.text ?? null} kind={message?.kind ?? 'error'} />
        <AddressInputs
          value={draft}
          errors={errors}
          onChange={(next) => {
            setDraft(next);
            const now = addressErrors(next);
            for (const key of ADDRESS_KEYS) recheck(key, now[key]);
          }}
        />
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />
          Adresse par défaut
        </label>
        <button type="submit" className="button">
          Enregistrer l’adresse
        </button>
      </form>
    </div>
  );
}
