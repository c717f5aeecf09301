import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { MAX_PASSWORD_LENGTH } from '@girlycrea/contract';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Shortest password accepted (ANSSI and NIST both favour length over complexity rules). */
export const MIN_PASSWORD_LENGTH = 10;

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane (about 20 ms here).
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** The result of checking a password against a stored hash. */
export interface PasswordCheck {
  ok: boolean;
  /** The hash is legacy (bcrypt from Supabase Auth) or weaker than today's settings: re-hash it. */
  needsRehash: boolean;
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against an argon2id or legacy bcrypt (`$2a$`/`$2b$`/`$2y$`) hash. With no hash
 * (unknown account) it still runs one argon2 verification so both answers take the same time.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<PasswordCheck> {
  if (!storedHash) {
    dummyHash ??= hashPassword('compte-inexistant-pour-egaliser-le-temps');
    await verify(await dummyHash, password).catch(() => false);
    return { ok: false, needsRehash: false };
  }
  if (/^\$2[aby]\$/.test(storedHash)) {
    return { ok: await bcrypt.compare(password, storedHash), needsRehash: true };
  }
  const ok = await verify(storedHash, password).catch(() => false);
  return { ok, needsRehash: ok && !storedHash.startsWith(`$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`) };
}

/** Returns why a new password is refused (French, for the user), or an empty list when it is acceptable. */
export function passwordProblems(password: string, context: { email?: string; name?: string } = {}): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`au moins ${MIN_PASSWORD_LENGTH} caractères`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`au plus ${MAX_PASSWORD_LENGTH} caractères`);
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered) || /^(.)\1+$/.test(password)) problems.push('mot de passe trop courant');
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lowered.includes(localPart)) problems.push('ne doit pas contenir votre e-mail');
  if (lowered.includes('girlycrea')) problems.push('ne doit pas contenir le nom de la boutique');
  return problems;
}
