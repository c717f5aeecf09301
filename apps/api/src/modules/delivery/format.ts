import type { RelayPoint, ShippingAddress } from '@girlycrea/contract';
import type { Carrier } from './carriers.js';

const DAY_NAMES = { monday: 'Lundi', tuesday: 'Mardi', wednesday: 'Mercredi', thursday: 'Jeudi', friday: 'Vendredi', saturday: 'Samedi', sunday: 'Dimanche' } as const;
const COUNTRY_NAMES: Record<string, string> = { FR: 'France', BE: 'Belgique', LU: 'Luxembourg', MC: 'Monaco', CH: 'Suisse' };

/** A phone number for reading: `+33 6 12 34 56 78` for French ones, as stored otherwise. */
export function formatPhone(e164: string): string {
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return french ? `+33 ${french.slice(1).join(' ')}` : e164;
}

/** A relay point's week in French, one line a day (`Lundi : 09:30–12:30, 14:00–19:00`, `Dimanche : fermé`). */
export function formatOpeningHours(point: RelayPoint): string[] {
  return point.openingHours.map(({ day, periods }) =>
    `${DAY_NAMES[day]} : ${periods.length === 0 ? 'fermé' : periods.map((p) => `${p.opens}–${p.closes}`).join(', ')}`,
  );
}

/** Where an order goes, as the confirmation e-mail shows it: a title, address lines, the phone and a relay point's hours. */
export function deliveryForEmail(carrier: Carrier, address: ShippingAddress, relayPoint: RelayPoint | null) {
  const phone = address.phone ? { phone: formatPhone(address.phone) } : {};
  if (relayPoint) {
    return {
      title: `Point relais ${carrier.name}`,
      lines: [relayPoint.name, relayPoint.line1, ...(relayPoint.line2 ? [relayPoint.line2] : []), `${relayPoint.postalCode} ${relayPoint.city}`],
      recipient: address.name,
      ...phone,
      hours: formatOpeningHours(relayPoint),
    };
  }
  if (carrier.kind === 'pickup') return { title: carrier.name, lines: ['À retirer à l’atelier GirlyCrea : nous vous prévenons dès qu’elle est prête.'], recipient: address.name, ...phone };
  return {
    title: 'Adresse de livraison',
    lines: [
      address.line1,
      ...(address.line2 ? [address.line2] : []),
      `${address.postalCode} ${address.city}`,
      ...(address.country !== 'FR' ? [COUNTRY_NAMES[address.country] ?? address.country] : []),
    ],
    recipient: address.name,
    ...phone,
  };
}
