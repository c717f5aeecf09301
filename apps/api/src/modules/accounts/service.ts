import { createHash, randomBytes } from 'node:crypto';
import type { CacheStore, Session, SessionStore } from '@girlycrea/cache';
import { DbError, withTransaction, type Pool, type Tx } from '@girlycrea/db';
import { enqueueEmail } from '@girlycrea/mailer/outbox';
import { AppError } from '../../http/errors.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import * as repo from './repo.js';
import type { Address, AddressInput, AddressPatch, LoginRequest, PasswordResetConfirm, RegisterRequest, User } from '@girlycrea/contract';

/** What the accounts module needs. */
export interface AccountsDeps {
  db: Pool;
  cache: CacheStore;
  sessions: SessionStore;
  loginThrottle: LoginThrottle;
  /** Public URL of the storefront, for links in e-mails. */
  shopUrl: string;
  /** Called after sign-in with the replaced guest session id (merges the guest cart). */
  onSignIn?: (previousSessionId: string, userId: string) => Promise<void>;
}

/** How long a password reset link works. */
export const RESET_TOKEN_TTL_MINUTES = 60;
/** At most one reset e-mail per address per this delay; later requests within it are answered alike and dropped. */
export const RESET_COOLDOWN_MS = 60_000;
/** How long an e-mail verification link works. */
export const VERIFY_TOKEN_TTL_DAYS = 7;
const MAX_ADDRESSES = 20;

const toUser = (row: repo.CustomerRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  emailVerified: row.email_verified_at !== null,
});

// A new verification link for the customer, its token stored hashed in the caller's transaction.
async function verificationUrl(deps: AccountsDeps, tx: Tx, customerId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.insertVerificationToken(tx, customerId, hashToken(token), VERIFY_TOKEN_TTL_DAYS);
  return `${deps.shopUrl}/compte/verifier-email?token=${token}`;
}

const toAddress = (row: repo.AddressRow): Address => ({
  id: row.id,
  name: row.name,
  line1: row.line1,
  ...(row.line2 === null ? {} : { line2: row.line2 }),
  postalCode: row.postal_code,
  city: row.city,
  country: row.country,
  ...(row.phone === null ? {} : { phone: row.phone }),
  isDefault: row.is_default,
});

const hashToken = (token: string) => createHash('sha256').update(token).digest();

function assertAcceptablePassword(password: string, context: { email?: string; name?: string }): void {
  const problems = passwordProblems(password, context);
  if (problems.length > 0) {
    throw new AppError('invalid_request', 'Mot de passe refusé.', {
      details: problems.map((message) => ({ path: 'password', message })),
    });
  }
}

/** Creates a customer, signs them in (new session id) and queues the welcome e-mail, with its verification link, with the account. */
export async function register(
  deps: AccountsDeps,
  input: RegisterRequest,
  previousSessionId?: string,
): Promise<{ user: User; session: Session }> {
  assertAcceptablePassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  const row = await withTransaction(deps.db, async (tx) => {
    const customer = await repo.insertCustomer(tx, { email: input.email, name: input.name, passwordHash });
    await enqueueEmail(tx, { template: 'welcome', to: customer.email, data: { name: customer.name, verifyUrl: await verificationUrl(deps, tx, customer.id) } });
    return customer;
  }).catch((error: unknown) => {
    if (error instanceof DbError && error.kind === 'conflict') {
      throw new AppError('email_taken', 'Un compte existe déjà avec cette adresse e-mail.');
    }
    throw error;
  });
  const session = await deps.sessions.rotate(previousSessionId, { userId: row.id, role: row.role });
  if (previousSessionId) await deps.onSignIn?.(previousSessionId, row.id);
  return { user: toUser(row), session };
}

/**
 * Signs a customer in with a new session id, if the login throttle admits the attempt (429
 * otherwise). Unknown e-mail and wrong password give the same error after the same work; a legacy
 * bcrypt hash is replaced by argon2id on success.
 */
export async function login(
  deps: AccountsDeps,
  input: LoginRequest,
  client: { ip: string; previousSessionId?: string | undefined },
): Promise<{ user: User; session: Session }> {
  const { previousSessionId } = client;
  const attempt = await deps.loginThrottle.begin(input.email, client.ip);
  const row = await repo.findCustomerByEmail(deps.db, input.email);
  const check = await verifyPassword(row?.password_hash, input.password);
  if (!row || !check.ok) {
    await attempt.failed();
    throw new AppError('invalid_credentials', 'E-mail ou mot de passe incorrect.');
  }
  await attempt.succeeded();
  if (check.needsRehash) await repo.updatePasswordHash(deps.db, row.id, await hashPassword(input.password));
  const session = await deps.sessions.rotate(previousSessionId, { userId: row.id, role: row.role });
  if (previousSessionId) await deps.onSignIn?.(previousSessionId, row.id);
  return { user: toUser(row), session };
}

/** Ends the session. */
export async function logout(deps: AccountsDeps, sessionId: string | undefined): Promise<void> {
  if (sessionId) await deps.sessions.destroy(sessionId);
}

/** The signed-in customer; 401 if the account no longer exists. */
export async function getUser(deps: AccountsDeps, userId: string): Promise<User> {
  const row = await repo.findCustomerById(deps.db, userId);
  if (!row) throw new AppError('unauthorized', 'Connectez-vous pour continuer.');
  return toUser(row);
}

/** Confirms the address of the link's account (answers the same if clicked again while live); 400 invalid_token otherwise. */
export async function verifyEmail(deps: AccountsDeps, token: string): Promise<User> {
  const row = await repo.verifyEmailByToken(deps.db, hashToken(token));
  if (!row) throw new AppError('invalid_token', 'Ce lien de confirmation est invalide ou a expiré : demandez-en un nouveau depuis votre compte.');
  return toUser(row);
}

/** Queues a new verification link for the signed-in customer; 409 when the address is already confirmed. */
export async function resendVerification(deps: AccountsDeps, userId: string): Promise<void> {
  const row = await repo.findCustomerById(deps.db, userId);
  if (!row) throw new AppError('unauthorized', 'Connectez-vous pour continuer.');
  if (row.email_verified_at) throw new AppError('conflict', 'Votre adresse e-mail est déjà confirmée.');
  await withTransaction(deps.db, async (tx) => {
    const verifyUrl = await verificationUrl(deps, tx, row.id);
    await enqueueEmail(tx, { template: 'email_verification', to: row.email, data: { name: row.name, verifyUrl, expiresInDays: VERIFY_TOKEN_TTL_DAYS } });
  });
}

/**
 * Queues a reset for `email` whether or not an account has it: the same work, so the same time,
 * either way (the job sends the link). At most one per address per RESET_COOLDOWN_MS; a request
 * within it is dropped, and the newest link already sent stays the working one.
 */
export async function requestPasswordReset(deps: AccountsDeps, email: string): Promise<void> {
  const { written } = await deps.cache.hset(`reset-cooldown:${email}`, 'at', String(Date.now()), { ttlMs: RESET_COOLDOWN_MS, when: 'missing' });
  if (written) await repo.queueResetRequest(deps.db, email);
}

/** Issues a reset link to the account with `email`, if any: every older link stops working; the e-mail is queued with the token. */
async function issuePasswordReset(tx: Tx, shopUrl: string, email: string): Promise<void> {
  const row = await repo.findCustomerByEmail(tx, email);
  if (!row) return;
  const token = randomBytes(32).toString('base64url');
  await repo.revokeResetTokens(tx, row.id);
  await repo.insertResetToken(tx, row.id, hashToken(token), RESET_TOKEN_TTL_MINUTES);
  await enqueueEmail(tx, {
    template: 'password_reset',
    to: row.email,
    data: { name: row.name, resetUrl: `${shopUrl}/compte/mot-de-passe?token=${token}`, expiresInMinutes: RESET_TOKEN_TTL_MINUTES },
  });
}

/**
 * Handles up to `batchSize` queued reset requests, each in its own transaction with its link and
 * e-mail (claimed with SKIP LOCKED, so several workers share the queue); returns how many it handled.
 */
export async function sendQueuedPasswordResets(deps: { db: Pool; shopUrl: string }, batchSize = 50): Promise<number> {
  let handled = 0;
  while (handled < batchSize) {
    const claimed = await withTransaction(deps.db, async (tx) => {
      const request = await repo.claimResetRequest(tx);
      if (request) {
        await issuePasswordReset(tx, deps.shopUrl, request.email);
        await repo.deleteResetRequest(tx, request.id);
      }
      return request !== undefined;
    });
    if (!claimed) break;
    handled += 1;
  }
  return handled;
}

/** Sets a new password from a live reset token (used up, with every other link of the account) and ends every session of the account. */
export async function confirmPasswordReset(deps: AccountsDeps, input: PasswordResetConfirm): Promise<void> {
  const customerId = await withTransaction(deps.db, async (tx) => {
    const id = await repo.consumeResetToken(tx, hashToken(input.token));
    if (!id) throw new AppError('invalid_token', 'Ce lien de réinitialisation est invalide, expiré ou déjà utilisé.');
    const customer = await repo.findCustomerById(tx, id);
    assertAcceptablePassword(input.password, { email: customer?.email, name: customer?.name });
    await repo.revokeResetTokens(tx, id);
    await repo.updatePasswordHash(tx, id, await hashPassword(input.password));
    return id;
  });
  await deps.sessions.destroyAllForUser(customerId);
}

/** The customer's saved addresses. */
export async function listAddresses(deps: AccountsDeps, userId: string): Promise<Address[]> {
  return (await repo.findAddresses(deps.db, userId)).map(toAddress);
}

/** Saves a new address (at most 20); a new default replaces the previous one. */
export async function addAddress(deps: AccountsDeps, userId: string, input: AddressInput): Promise<Address> {
  return withTransaction(deps.db, async (tx) => {
    if ((await repo.countAddresses(tx, userId)) >= MAX_ADDRESSES) {
      throw new AppError('conflict', `Vous avez déjà ${MAX_ADDRESSES} adresses : supprimez-en une d’abord.`);
    }
    const row = await repo.insertAddress(tx, userId, input);
    if (row.is_default) await repo.clearDefaultAddress(tx, userId, row.id);
    return toAddress(row);
  });
}

/** Changes one of the customer's addresses; another customer's address is 404. */
export async function updateAddress(deps: AccountsDeps, userId: string, id: string, patch: AddressPatch): Promise<Address> {
  return withTransaction(deps.db, async (tx) => {
    const row = await repo.updateAddress(tx, userId, id, patch);
    if (!row) throw new AppError('not_found', 'Adresse introuvable.');
    if (row.is_default) await repo.clearDefaultAddress(tx, userId, row.id);
    return toAddress(row);
  });
}

/** Deletes one of the customer's addresses; another customer's address is 404. */
export async function removeAddress(deps: AccountsDeps, userId: string, id: string): Promise<void> {
  if (!(await repo.deleteAddress(deps.db, userId, id))) throw new AppError('not_found', 'Adresse introuvable.');
}
