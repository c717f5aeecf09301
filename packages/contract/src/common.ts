import { z } from 'zod';

/** An amount in euro cents, VAT included. */
export const Money = z.int().min(0).meta({ description: 'Centimes d’euro, TVA incluse' });

/** Free text a customer types: trimmed, non-empty, at most `max` characters, no control characters. */
export const Text = (max: number) =>
  z
    .string('texte attendu')
    .trim()
    .min(1, 'obligatoire')
    .max(max, `${max} caractères au plus`)
    .refine((value) => !/\p{Cc}/u.test(value), 'caractères de contrôle interdits');

/** A URL slug: lower-case words joined by dashes. */
export const Slug = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug invalide (minuscules, chiffres et tirets)');

/** A secret token of a link (e-mail confirmation, password reset, guest order tracking): 32 random bytes, base64url. */
export const LinkToken = (message: string) => z.string().regex(/^[A-Za-z0-9_-]{43}$/, message);

/** An ISO 2-letter country code, upper-cased. */
export const CountryCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres');

/** `?page=&limit=` of a paginated list. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** One page of `item`: the list envelope of every paginated answer. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), page: z.int(), limit: z.int(), total: z.int() });
