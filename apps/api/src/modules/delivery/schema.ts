import { z } from 'zod';

/** Days of the week, Monday first, as opening hours list them. */
export const WEEK_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** A relay point as a carrier describes it; an order keeps this snapshot. */
export const RelayPoint = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{1,20}$/),
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    postalCode: z.string(),
    city: z.string(),
    country: z.string().regex(/^[A-Z]{2}$/),
    /** Seven days, Monday first; a day without periods is closed. */
    openingHours: z.array(z.object({ day: z.enum(WEEK_DAYS), periods: z.array(z.object({ opens: Time, closes: Time })) })).length(7),
    /** From the searched postal code, when the carrier tells. */
    distanceMeters: z.int().min(0).optional(),
  })
  .meta({ id: 'RelayPoint' });
export type RelayPoint = z.infer<typeof RelayPoint>;

/** A relay point's id in a request. */
export const RelayPointId = z.string('identifiant de point relais attendu').trim().regex(/^[A-Za-z0-9-]{1,20}$/, 'point relais invalide');

/** `GET /api/relay-points` query. */
export const RelayPointQuery = z.object({
  postalCode: z.string('code postal attendu').trim().regex(/^\d{5}$/, 'code postal à 5 chiffres attendu'),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres').default('FR'),
});
export type RelayPointQuery = z.infer<typeof RelayPointQuery>;

/** `GET /api/relay-points` answer. */
export const RelayPointList = z.object({ items: z.array(RelayPoint) }).meta({ id: 'RelayPointList' });
