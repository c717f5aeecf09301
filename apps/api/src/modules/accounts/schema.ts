import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

/** An e-mail address, normalised (trimmed, lower case) so comparisons ignore case. */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('adresse e-mail invalide'))
  .transform((value) => value.toLowerCase());

const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'obligatoire')
    .max(max)
    .refine((value) => !/\p{Cc}/u.test(value), 'caractères de contrôle interdits');

// Strength rules are checked in the service (they need the e-mail); here only the hard bounds.
const Password = z.string().min(1, 'obligatoire').max(MAX_PASSWORD_LENGTH);

/** `POST /api/auth/register`. */
export const RegisterRequest = z.object({ email: Email, password: Password, name: Text(120) });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** `POST /api/auth/login`. */
export const LoginRequest = z.object({ email: Email, password: Password });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `POST /api/auth/password-reset`. */
export const PasswordResetRequest = z.object({ email: Email });

/** `POST /api/auth/password-reset/confirm`. */
export const PasswordResetConfirm = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'lien invalide'), password: Password });
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirm>;

/** `POST /api/auth/verify-email`: the token of the link sent by e-mail. */
export const VerifyEmailRequest = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'lien invalide') });

/** A signed-in customer as the API shows it. */
export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['customer', 'admin']),
    /** The address was confirmed by the e-mailed link: orders placed with it as a guest are listed too. */
    emailVerified: z.boolean(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

const AddressFields = z.object({
  name: Text(120),
  line1: Text(200),
  line2: Text(200).optional(),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9 -]{3,10}$/, 'code postal invalide'),
  city: Text(120),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres'),
  phone: z.string().trim().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro invalide').optional(),
  isDefault: z.boolean(),
});

/** `POST /api/me/addresses`. */
export const AddressInput = AddressFields.extend({
  country: AddressFields.shape.country.default('FR'),
  isDefault: AddressFields.shape.isDefault.default(false),
});
export type AddressInput = z.infer<typeof AddressInput>;

// No defaults here: a field left out of a PATCH must keep its value.
/** `PATCH /api/me/addresses/:id`: any non-empty subset of the fields. */
export const AddressPatch = AddressFields.partial().refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type AddressPatch = z.infer<typeof AddressPatch>;

/** Path parameter of one address. */
export const AddressParams = z.object({ id: z.uuid('identifiant invalide') });

/** A saved address. */
export const Address = z
  .object({
    id: z.uuid(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    postalCode: z.string(),
    city: z.string(),
    country: z.string(),
    phone: z.string().optional(),
    isDefault: z.boolean(),
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof Address>;
