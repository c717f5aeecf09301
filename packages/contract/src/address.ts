import { z } from 'zod';
import { CountryCode, Text } from './common.js';

// What a parcel label needs, nothing more: no digits in a name, no ':', '!', '@' or links anywhere,
// so a field cannot carry a message ("Votre compte sera suspendu : appelez le 06…").
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const STREET = /^[\p{L}\p{M}\d][\p{L}\p{M}\d ,'’./°#()-]*$/u;
const CITY = /^[\p{L}\p{M}][\p{L}\p{M}\d '’.()-]*$/u;
const Restricted = (max: number, pattern: RegExp, what: string) => Text(max).pipe(z.string().regex(pattern, what));
const Street = Restricted(120, STREET, 'lettres, chiffres, espaces et , . / ° # ( ) - uniquement');

/** The lines of a postal address as a customer types them (checkout and address book alike). */
export const AddressLinesInput = z.object({
  name: Restricted(80, NAME, 'lettres, espaces, apostrophes, points et tirets uniquement'),
  line1: Street,
  line2: Street.optional(),
  postalCode: z.string('code postal attendu').trim().regex(/^[A-Za-z0-9 -]{3,10}$/, 'code postal invalide'),
  city: Restricted(80, CITY, 'lettres, chiffres, espaces, apostrophes, points et tirets uniquement'),
  country: CountryCode,
});
export type AddressLinesInput = z.input<typeof AddressLinesInput>;

/** The lines of a postal address as the API answers them. */
export const AddressLines = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});
export type AddressLines = z.infer<typeof AddressLines>;

/** A delivery address as the order keeps it. */
export const ShippingAddress = AddressLines.extend({
  /** E.164 (`+33612345678`), for the carrier's delivery notices. */
  phone: z.string().optional(),
}).meta({ id: 'ShippingAddress' });
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** A saved address of the customer's address book. */
export const Address = z
  .object({ id: z.uuid(), ...ShippingAddress.shape, isDefault: z.boolean() })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;
