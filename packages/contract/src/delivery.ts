import { z } from 'zod';
import { AddressLines } from './address.js';
import { CountryCode } from './common.js';

/** Days of the week, Monday first, as opening hours list them. */
export const WEEK_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Opening periods of one day (`09:30`–`12:30`), none when closed. */
export const OpeningDay = z.object({ day: z.enum(WEEK_DAYS), periods: z.array(z.object({ opens: Time, closes: Time })) });
export type OpeningDay = z.infer<typeof OpeningDay>;

/** A relay point as a carrier describes it; an order keeps this snapshot. */
export const RelayPoint = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{1,20}$/),
    ...AddressLines.shape,
    country: z.string().regex(/^[A-Z]{2}$/),
    /** Seven days, Monday first; a day without periods is closed. */
    openingHours: z.array(OpeningDay).length(7),
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
  country: CountryCode.default('FR'),
});
export type RelayPointQuery = z.infer<typeof RelayPointQuery>;

/** `GET /api/relay-points` answer. */
export const RelayPointList = z.object({ items: z.array(RelayPoint) }).meta({ id: 'RelayPointList' });
