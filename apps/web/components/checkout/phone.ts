/** Why a phone number cannot go to the carrier (French message), or null; the API checks it again. */
export function phoneError(phone: string, country: string, required: boolean): string | null {
  const compact = phone.replace(/[\s.\-()]/g, '').replace(/^00/, '+');
  if (!compact) return required ? 'Indiquez un numéro de téléphone : le transporteur vous prévient de la livraison.' : null;
  if (country === 'FR' ? /^(0|\+330?)[1-9]\d{8}$/.test(compact) : /^\+[1-9]\d{7,14}$/.test(compact)) return null;
  return country === 'FR'
    ? 'Indiquez un numéro français, par exemple 06 12 34 56 78.'
    : 'Indiquez le numéro au format international, par exemple +32 470 12 34 56.';
}
