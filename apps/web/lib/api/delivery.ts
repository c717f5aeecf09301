// French formatting of delivery details (opening hours, distances, phones), shared by checkout,
// confirmation and order pages. No environment access here: this file ships to browsers.
import type { OpeningDay } from '@girlycrea/contract';

const DAY_NAMES: Record<OpeningDay['day'], string> = {
  monday: 'Lundi',
  tuesday: 'Mardi',
  wednesday: 'Mercredi',
  thursday: 'Jeudi',
  friday: 'Vendredi',
  saturday: 'Samedi',
  sunday: 'Dimanche',
};

/** A day's hours in French: `Lundi`, `09:30 – 12:30, 14:00 – 19:00` (or `fermé`). */
export function openingDay(day: OpeningDay): { name: string; hours: string } {
  return {
    name: DAY_NAMES[day.day],
    hours: day.periods.length === 0 ? 'fermé' : day.periods.map((p) => `${p.opens} – ${p.closes}`).join(', '),
  };
}

/** A distance for reading: `450 m`, `1,2 km`. */
export function formatDistance(meters: number): string {
  return meters < 1000 ? `${meters} m` : `${(meters / 1000).toFixed(1).replace('.', ',')} km`;
}

/** A phone number for reading: `+33 6 12 34 56 78` for French ones, as given otherwise. */
export function formatPhone(e164: string): string {
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return french ? `+33 ${french.slice(1).join(' ')}` : e164;
}
