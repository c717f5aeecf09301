import { WEEK_DAYS, type RelayPoint } from '@girlycrea/contract';

/** Where relay points come from: the carrier's web service, or the local stand-in. */
export interface RelayPointFinder {
  /** `mondial-relay` (the carrier's web service) or `stand-in` (demo points, development and tests). */
  readonly source: 'mondial-relay' | 'stand-in';
  /** Points near a postal code, nearest first (at most `limit`). */
  search(query: { postalCode: string; country: string; limit: number }): Promise<RelayPoint[]>;
  /** One point by its carrier id, or null when the carrier does not know it (or no longer serves it). */
  find(query: { id: string; country: string }): Promise<RelayPoint | null>;
}

/** Thrown when the carrier's service cannot answer (down, timeout, refused credentials). */
export class RelayPointsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RelayPointsUnavailableError';
  }
}

const SHOPS = [
  { name: 'Tabac-Presse Le Balto', street: 'rue de la République', hours: 'long' },
  { name: 'Fleuriste Les Pétales', street: 'place du Marché', hours: 'closedMonday' },
  { name: 'Épicerie Chez Margot', street: 'avenue Jean Jaurès', hours: 'long' },
  { name: 'Librairie La Page Blanche', street: 'rue Victor Hugo', hours: 'closedMonday' },
  { name: 'Pressing du Centre', street: 'boulevard Gambetta', hours: 'weekdays' },
] as const;

const period = (opens: string, closes: string) => ({ opens, closes });
const HOURS = {
  long: [period('07:30', '19:30')],
  closedMonday: [period('09:30', '12:30'), period('14:00', '19:00')],
  weekdays: [period('08:30', '12:00'), period('13:30', '18:30')],
} as const;

function openingHours(kind: keyof typeof HOURS): RelayPoint['openingHours'] {
  return WEEK_DAYS.map((day) => {
    const closed = day === 'sunday' || (kind === 'closedMonday' && day === 'monday') || (kind === 'weekdays' && day === 'saturday');
    return { day, periods: closed ? [] : HOURS[kind].map((p) => ({ ...p })) };
  });
}

// The demo points' town, from the postal code's département (a few large towns, a generic name elsewhere).
const TOWNS: Record<string, string> = { '75': 'Paris', '69': 'Lyon', '13': 'Marseille', '31': 'Toulouse', '33': 'Bordeaux', '44': 'Nantes', '59': 'Lille', '67': 'Strasbourg' };

// Stand-in ids are the postal code and the point's rank: any id can be looked up again, as at the carrier.
function standInPoint(postalCode: string, country: string, rank: number): RelayPoint {
  const shop = SHOPS[rank]!;
  return {
    id: `${postalCode}${rank}`,
    name: shop.name,
    line1: `${12 + rank * 7} ${shop.street}`,
    postalCode,
    city: TOWNS[postalCode.slice(0, 2)] ?? `Commune ${postalCode}`,
    country,
    openingHours: openingHours(shop.hours),
    distanceMeters: 250 + rank * 430,
  };
}

/**
 * Demo relay points for development and tests, where Mondial Relay's web service is not reachable
 * or not configured: five points for any French postal code (none for `00000`), found again by id.
 */
export function createStandInRelayPoints(): RelayPointFinder {
  return {
    source: 'stand-in',
    async search({ postalCode, country, limit }) {
      if (country !== 'FR' || postalCode === '00000') return [];
      return SHOPS.slice(0, limit).map((_, rank) => standInPoint(postalCode, country, rank));
    },
    async find({ id, country }) {
      const match = /^(\d{5})(\d)$/.exec(id);
      if (country !== 'FR' || !match || match[1] === '00000' || Number(match[2]) >= SHOPS.length) return null;
      return standInPoint(match[1]!, country, Number(match[2]));
    },
  };
}
