const FRENCH_NATIONAL = /^0([1-9]\d{8})$/;
const FRENCH_INTERNATIONAL = /^\+330?([1-9]\d{8})$/;
const INTERNATIONAL = /^\+[1-9]\d{7,14}$/;

/**
 * A phone number as carriers take it (E.164, `+33612345678`), or null when it is not one. French
 * numbers may be typed nationally (`06 12 34 56 78`) or internationally (`+33 6…`, `0033 6…`); an
 * address outside France gives its number in international form (`+32 …`, `+33 …`).
 */
export function normalisePhone(input: string, country: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '').replace(/^00/, '+');
  // A national number belongs to the address's country: only France's plan is read that way.
  const french = (country === 'FR' ? FRENCH_NATIONAL.exec(compact) : null) ?? FRENCH_INTERNATIONAL.exec(compact);
  if (french) return `+33${french[1]}`;
  if (country !== 'FR' && INTERNATIONAL.test(compact)) return compact;
  return null;
}
