import { z } from 'zod';
import { AddressLinesInput, Address } from './address.js';
import { LinkToken, Text } from './common.js';

/** Longest password accepted: bounds hashing cost so a huge input cannot tie up the CPU. */
export const MAX_PASSWORD_LENGTH = 128;

/** An e-mail address, normalised (trimmed, lower case) so comparisons ignore case. */
export const Email = z
  .string('adresse e-mail attendue')
  .trim()
  .max(254)
  .pipe(z.email('adresse e-mail invalide'))
  .transform((value) => value.toLowerCase());

// Strength rules are checked by the API (they need the e-mail); here only the hard bounds.
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
export const PasswordResetConfirm = z.object({ token: LinkToken('lien invalide'), password: Password });
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirm>;

/** `POST /api/auth/verify-email`: the token of the link sent by e-mail. */
export const VerifyEmailRequest = z.object({ token: LinkToken('lien invalide') });

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

/** `{ user }`: the answer of sign-in, sign-up, e-mail confirmation and `GET /api/me`. */
export const UserBody = z.object({ user: User });

/** `{ message }`: an accepted request whose outcome is told by e-mail. */
export const MessageBody = z.object({ message: z.string() });

/** `GET /api/csrf` answer. */
export const CsrfBody = z.object({ token: z.string() });

const AddressFields = AddressLinesInput.extend({
  phone: z.string().trim().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro invalide').optional(),
  isDefault: z.boolean(),
});

/** `POST /api/me/addresses`. */
export const AddressInput = AddressFields.extend({
  country: AddressFields.shape.country.default('FR'),
  isDefault: AddressFields.shape.isDefault.default(false),
});
export type AddressInput = z.infer<typeof AddressInput>;
/** The body a client sends to `POST /api/me/addresses` (before defaults and normalisation). */
export type AddressBody = z.input<typeof AddressInput>;

// No defaults here: a field left out of a PATCH must keep its value.
/** `PATCH /api/me/addresses/:id`: any non-empty subset of the fields. */
export const AddressPatch = AddressFields.partial().refine((patch) => Object.keys(patch).length > 0, 'aucun champ à modifier');
export type AddressPatch = z.infer<typeof AddressPatch>;

/** Path parameter of one address. */
export const AddressParams = z.object({ id: z.uuid('identifiant invalide') });

/** `GET /api/me/addresses` answer. */
export const AddressList = z.object({ items: z.array(Address) });
