import type { AddressLinesInput } from '@girlycrea/contract';
import { Field } from '../ui/field';

/** Countries we ship to (ISO codes, as the API expects). */
export const COUNTRIES = [
  { code: 'FR', name: 'France' },
  { code: 'BE', name: 'Belgique' },
  { code: 'LU', name: 'Luxembourg' },
  { code: 'MC', name: 'Monaco' },
  { code: 'CH', name: 'Suisse' },
] as const;

/** An empty French address. */
export const EMPTY_ADDRESS: AddressLinesInput = { name: '', line1: '', line2: '', postalCode: '', city: '', country: 'FR' };

/** The address fields that can show an error. */
export const ADDRESS_KEYS = ['name', 'line1', 'line2', 'postalCode', 'city'] as const;

/** French messages for what is missing or malformed in an address. */
export function addressErrors(address: AddressLinesInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!address.name.trim()) errors.name = 'Indiquez le nom du destinataire.';
  if (!address.line1.trim()) errors.line1 = 'Indiquez le numéro et la rue.';
  const postal = address.postalCode.trim();
  if (address.country === 'FR' ? !/^\d{5}$/.test(postal) : !/^[A-Za-z0-9 -]{3,10}$/.test(postal)) {
    errors.postalCode = address.country === 'FR' ? 'Le code postal compte 5 chiffres.' : 'Code postal invalide.';
  }
  if (!address.city.trim()) errors.city = 'Indiquez la ville.';
  return errors;
}

/** Name, street, postal code, city and country inputs. */
export function AddressInputs({ value, errors, onChange }: { value: AddressLinesInput; errors: Record<string, string | undefined>; onChange: (next: AddressLinesInput) => void }) {
  const set = (key: keyof AddressLinesInput) => (event: { target: { value: string } }) => onChange({ ...value, [key]: event.target.value });
  return (
    <div className="form-grid">
      <Field label="Nom" name="name" required autoComplete="name" value={value.name} onChange={set('name')} error={errors.name} />
      <Field label="Adresse" name="line1" required autoComplete="address-line1" value={value.line1} onChange={set('line1')} error={errors.line1} />
      <Field label="Complément d’adresse" name="line2" autoComplete="address-line2" value={value.line2 ?? ''} onChange={set('line2')} error={errors.line2} />
      <Field label="Code postal" name="postalCode" required autoComplete="postal-code" inputMode="numeric" value={value.postalCode} onChange={set('postalCode')} error={errors.postalCode} />
      <Field label="Ville" name="city" required autoComplete="address-level2" value={value.city} onChange={set('city')} error={errors.city} />
      <div className="field">
        <label htmlFor="champ-country">Pays</label>
        <select id="champ-country" name="country" autoComplete="country" value={value.country} onChange={set('country')}>
          {COUNTRIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The address without empty optional parts, ready for the API. */
export function cleanAddress(address: AddressLinesInput): AddressLinesInput {
  const line2 = address.line2?.trim();
  return {
    name: address.name.trim(),
    line1: address.line1.trim(),
    ...(line2 ? { line2 } : {}),
    postalCode: address.postalCode.trim(),
    city: address.city.trim(),
    country: address.country,
  };
}
