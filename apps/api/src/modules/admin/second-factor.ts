import { createHash, randomBytes } from 'node:crypto';
import type { CacheStore, SessionStore, Session } from '@girlycrea/cache';
import { exec, many, maybeOne, withTransaction, type Pool, type Queryable } from '@girlycrea/db';
import { generateSecret, generateURI, verify } from 'otplib';
import { AppError } from '../../http/errors.js';
import type { SecretBox } from './secret-box.js';

/** What the second factor needs. */
export interface SecondFactorDeps {
  db: Pool;
  cache: CacheStore;
  sessions: SessionStore;
  /** Encrypts the TOTP secrets at rest (TOTP_ENCRYPTION_KEY). */
  secretBox: SecretBox;
}

/** An admin's proof of the second factor lapses after this long without an admin request… */
export const ADMIN_IDLE_MS = 30 * 60_000;
/** …and in any case this long after it was given (customers' sessions last 7 days). */
export const ADMIN_MAX_MS = 8 * 3_600_000;
const ISSUER = 'GirlyCrea';
const STEP_SECONDS = 30;
const RECOVERY_CODES = 10;

interface Verified {
  userId: string;
  verifiedAt: number;
}

const markerKey = (sessionId: string) => `admin-2fa:${sessionId}`;
const hashCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest();

/**
 * Whether this session proved the admin's second factor within the admin lifetime; slides the
 * idle lifetime on success. False for another user's marker (a copied cookie after a role change).
 */
export async function hasSecondFactor(cache: CacheStore, session: Session, userId: string): Promise<boolean> {
  const raw = await cache.get(markerKey(session.id));
  if (raw === null) return false;
  const marker = JSON.parse(raw) as Verified;
  const age = Date.now() - marker.verifiedAt;
  if (marker.userId !== userId || age > ADMIN_MAX_MS) return false;
  await cache.set(markerKey(session.id), raw, Math.min(ADMIN_IDLE_MS, ADMIN_MAX_MS - age));
  return true;
}

interface TotpRow {
  /** Only rows written before migration 0021, until they are sealed. */
  secret: string | null;
  secret_encrypted: string | null;
  confirmed_at: Date | null;
  last_step: string | null;
}

const findTotp = (db: Queryable, userId: string) =>
  maybeOne<TotpRow>(db, 'SELECT secret, secret_encrypted, confirmed_at, last_step FROM admin_totp WHERE customer_id = $1', [userId]);

/**
 * Encrypts the TOTP secrets still stored in clear (rows written before migration 0021) and blanks
 * the clear column: every row (at start) or one admin's (before each use). Safe to run from several
 * processes at once; returns how many rows this call sealed.
 */
export async function sealClearSecrets(db: Queryable, box: SecretBox, userId?: string): Promise<number> {
  const rows = await many<{ customer_id: string; secret: string }>(
    db,
    'SELECT customer_id, secret FROM admin_totp WHERE secret IS NOT NULL AND ($1::uuid IS NULL OR customer_id = $1)',
    [userId ?? null],
  );
  let sealed = 0;
  for (const row of rows) {
    sealed += await exec(db, 'UPDATE admin_totp SET secret_encrypted = $2, secret = NULL WHERE customer_id = $1 AND secret = $3', [
      row.customer_id,
      box.seal(row.secret, row.customer_id),
      row.secret,
    ]);
  }
  return sealed;
}

// The secret in clear, whichever column holds it.
const secretOf = (box: SecretBox, userId: string, row: TotpRow): string => (row.secret_encrypted ? box.open(row.secret_encrypted, userId) : row.secret!);

/** Where an admin stands: whether the app is set up, and whether this session passed the second factor. */
export async function secondFactorStatus(deps: SecondFactorDeps, session: Session, userId: string): Promise<{ enrolled: boolean; verified: boolean }> {
  const row = await findTotp(deps.db, userId);
  return { enrolled: Boolean(row?.confirmed_at), verified: await hasSecondFactor(deps.cache, session, userId) };
}

/**
 * Starts (or restarts) the set-up of the authenticator app for an admin who has none confirmed:
 * a new secret, shown once as text and as an otpauth:// link for the QR code. 409 once confirmed.
 */
export async function startEnrolment(deps: SecondFactorDeps, user: { id: string; email: string }): Promise<{ secret: string; otpauthUrl: string }> {
  const existing = await findTotp(deps.db, user.id);
  if (existing?.confirmed_at) throw new AppError('conflict', 'La double authentification est déjà configurée pour ce compte.');
  const secret = generateSecret();
  await exec(
    deps.db,
    `INSERT INTO admin_totp (customer_id, secret_encrypted) VALUES ($1, $2)
     ON CONFLICT (customer_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, secret = NULL, last_step = NULL, created_at = now()
     WHERE admin_totp.confirmed_at IS NULL`,
    [user.id, deps.secretBox.seal(secret, user.id)],
  );
  return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: user.email, secret }) };
}

// The time step a valid code belongs to, or null; one step of clock drift either way is accepted.
async function matchingStep(secret: string, code: string): Promise<number | null> {
  const now = Math.floor(Date.now() / 1000);
  const result = await verify({ secret, token: code, epoch: now, epochTolerance: STEP_SECONDS });
  return result.valid ? Math.floor(now / STEP_SECONDS) + result.delta : null;
}

const wrongCode = () => new AppError('invalid_credentials', 'Code incorrect ou expiré : saisissez le code à 6 chiffres affiché par l’application.');

/** Accepts a code once: its step must be later than the last accepted one (a replayed code fails). */
async function consumeCode(deps: SecondFactorDeps, userId: string, code: string, confirming: boolean): Promise<void> {
  const { db, secretBox } = deps;
  // Sealed before the check, so a wrong code (which rolls back) still leaves it encrypted.
  await sealClearSecrets(db, secretBox, userId);
  await withTransaction(db, async (tx) => {
    const row = await maybeOne<TotpRow>(tx, 'SELECT secret, secret_encrypted, confirmed_at, last_step FROM admin_totp WHERE customer_id = $1 FOR UPDATE', [userId]);
    if (!row || (confirming ? row.confirmed_at !== null : row.confirmed_at === null)) {
      throw new AppError('invalid_state', confirming ? 'Commencez la configuration de la double authentification.' : 'La double authentification n’est pas encore configurée.');
    }
    const step = await matchingStep(secretOf(secretBox, userId, row), code);
    if (step === null || (row.last_step !== null && step <= Number(row.last_step))) throw wrongCode();
    await exec(tx, 'UPDATE admin_totp SET last_step = $2, confirmed_at = COALESCE(confirmed_at, now()) WHERE customer_id = $1', [userId, step]);
  });
}

// Sign-in is a privilege change: a new session id, then the marker on it.
async function elevate(deps: SecondFactorDeps, session: Session, userId: string): Promise<Session> {
  const next = await deps.sessions.rotate(session.id, { userId, role: session.data.role });
  const marker: Verified = { userId, verifiedAt: Date.now() };
  await deps.cache.del(markerKey(session.id));
  await deps.cache.set(markerKey(next.id), JSON.stringify(marker), ADMIN_IDLE_MS);
  return next;
}

/**
 * Confirms the authenticator app with a first code, issues the recovery codes (shown once,
 * stored hashed) and opens the admin session. 400 for a wrong code.
 */
export async function confirmEnrolment(
  deps: SecondFactorDeps,
  session: Session,
  userId: string,
  code: string,
): Promise<{ session: Session; recoveryCodes: string[] }> {
  await consumeCode(deps, userId, code, true);
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(5).toString('hex').toUpperCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await withTransaction(deps.db, async (tx) => {
    await exec(tx, 'DELETE FROM admin_recovery_codes WHERE customer_id = $1', [userId]);
    await exec(tx, 'INSERT INTO admin_recovery_codes (customer_id, code_hash) SELECT $1, unnest($2::bytea[])', [userId, recoveryCodes.map(hashCode)]);
  });
  return { session: await elevate(deps, session, userId), recoveryCodes };
}

/** Opens the admin session with a code from the app, or one unused recovery code (then spent). */
export async function verifySecondFactor(
  deps: SecondFactorDeps,
  session: Session,
  userId: string,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<{ session: Session; recoveryCodesLeft: number }> {
  if (input.code) {
    await consumeCode(deps, userId, input.code, false);
  } else {
    const used = await exec(
      deps.db,
      'UPDATE admin_recovery_codes SET used_at = now() WHERE customer_id = $1 AND code_hash = $2 AND used_at IS NULL',
      [userId, hashCode(input.recoveryCode ?? '')],
    );
    if (used === 0) throw new AppError('invalid_credentials', 'Code de secours inconnu ou déjà utilisé.');
  }
  const left = await many<{ n: number }>(deps.db, 'SELECT count(*)::int AS n FROM admin_recovery_codes WHERE customer_id = $1 AND used_at IS NULL', [userId]);
  return { session: await elevate(deps, session, userId), recoveryCodesLeft: left[0]?.n ?? 0 };
}
