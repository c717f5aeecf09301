// Relay points and delivery details: types, decoders and French formatting, shared by checkout,
// confirmation and order pages. No environment access here: this file ships to browsers.
import { asArray, asObject, asString, listItems, optional, asInt, type Json } from './decode';

/** Opening periods of one day (`09:30`–`12:30`), none when closed. */
export interface OpeningDay {
  day: string;
  periods: { opens: string; closes: string }[];
}

/** A relay point as the carrier describes it. */
export interface RelayPoint {
  id: string;
  name: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  country: string;
  /** Seven days, Monday first. */
  openingHours: OpeningDay[];
  distanceMeters: number | null;
}

/** Validates a relay point. */
export function decodeRelayPoint(value: unknown, what = 'relayPoint'): RelayPoint {
  const o = asObject(value, what);
  return {
    id: asString(o.id, `${what}.id`),
    name: asString(o.name, `${what}.name`),
    line1: asString(o.line1, `${what}.line1`),
    line2: optional(o.line2, asString, `${what}.line2`),
    postalCode: asString(o.postalCode, `${what}.postalCode`),
    city: asString(o.city, `${what}.city`),
    country: asString(o.country, `${what}.country`),
    openingHours: asArray(o.openingHours ?? [], `${what}.openingHours`).map((day, i) => {
      const d: Json = asObject(day, `${what}.openingHours[${i}]`);
      return {
        day: asString(d.day, `${what}.openingHours[${i}].day`),
        periods: asArray(d.periods ?? [], `${what}.openingHours[${i}].periods`).map((p) => {
          const period = asObject(p, `${what}.openingHours[${i}].period`);
          return { opens: asString(period.opens, 'opens'), closes: asString(period.closes, 'closes') };
        }),
      };
    }),
    distanceMeters: optional(o.distanceMeters, asInt, `${what}.distanceMeters`),
  };
}

/** Validates a `GET /api/relay-points` body. */
export function decodeRelayPoints(data: unknown): RelayPoint[] {
  return listItems(data, 'relayPoints').map((point, i) => decodeRelayPoint(point, `relayPoints[${i}]`));
}

const DAY_NAMES: Record<string, string> = {
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
    name: DAY_NAMES[day.day] ?? day.day,
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
