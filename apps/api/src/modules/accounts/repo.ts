import { exec, many, maybeOne, one, type Queryable, type Tx } from '@girlycrea/db';
import type { AddressInput, AddressPatch } from '@girlycrea/contract';

/** A customers row. */
export interface CustomerRow {
  id: string;
  email: string;
  name: string;
  role: 'customer' | 'admin';
  password_hash: string | null;
  email_verified_at: Date | null;
}

/** An addresses row. */
export interface AddressRow {
  id: string;
  name: string;
  line1: string;
  line2: string | null;
  postal_code: string;
  city: string;
  country: string;
  phone: string | null;
  is_default: boolean;
}

const CUSTOMER = 'id, email, name, role, password_hash, email_verified_at';
const ADDRESS = 'id, name, line1, line2, postal_code, city, country, phone, is_default';

/** Inserts a customer; a taken e-mail raises DbError('conflict'). */
export async function insertCustomer(
  db: Queryable,
  customer: { email: string; name: string; passwordHash: string; role?: 'customer' | 'admin' },
): Promise<CustomerRow> {
  return one<CustomerRow>(
    db,
    `INSERT INTO customers (email, name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING ${CUSTOMER}`,
    [customer.email, customer.name, customer.passwordHash, customer.role ?? 'customer'],
  );
}

/** The customer with this (normalised) e-mail. */
export async function findCustomerByEmail(db: Queryable, email: string): Promise<CustomerRow | undefined> {
  return maybeOne<CustomerRow>(db, `SELECT ${CUSTOMER} FROM customers WHERE email = $1`, [email]);
}

/** The customer with this id. */
export async function findCustomerById(db: Queryable, id: string): Promise<CustomerRow | undefined> {
  return maybeOne<CustomerRow>(db, `SELECT ${CUSTOMER} FROM customers WHERE id = $1`, [id]);
}

/** Replaces a customer's password hash. */
export async function updatePasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await exec(db, 'UPDATE customers SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
}

/** Sets a customer's role; returns whether the customer exists. */
export async function updateRole(db: Queryable, id: string, role: 'customer' | 'admin'): Promise<void> {
  await exec(db, 'UPDATE customers SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
}

/** Stores the hash of a new reset token valid for `ttlMinutes`. */
export async function insertResetToken(tx: Tx, customerId: string, tokenHash: Buffer, ttlMinutes: number): Promise<void> {
  await exec(
    tx,
    `INSERT INTO password_reset_tokens (token_hash, customer_id, expires_at)
     VALUES ($1, $2, now() + make_interval(mins => $3))`,
    [tokenHash, customerId, ttlMinutes],
  );
}

/** Marks every unused reset token of a customer used: only the link issued next (if any) works. */
export async function revokeResetTokens(tx: Tx, customerId: string): Promise<void> {
  await exec(tx, 'UPDATE password_reset_tokens SET used_at = now() WHERE customer_id = $1 AND used_at IS NULL', [customerId]);
}

/** Queues a reset request for the job; one insert, whether or not the address has an account. */
export async function queueResetRequest(db: Queryable, email: string): Promise<void> {
  await exec(db, 'INSERT INTO password_reset_requests (email) VALUES ($1)', [email]);
}

/** The oldest queued reset request no other transaction holds, locked until this one ends. */
export async function claimResetRequest(tx: Tx): Promise<{ id: string; email: string } | undefined> {
  return maybeOne<{ id: string; email: string }>(
    tx,
    'SELECT id::text, email FROM password_reset_requests ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED',
  );
}

/** Removes a handled reset request. */
export async function deleteResetRequest(tx: Tx, id: string): Promise<void> {
  await exec(tx, 'DELETE FROM password_reset_requests WHERE id = $1', [id]);
}

/** Marks a live token used and returns its customer; one statement, so a token works only once. */
export async function consumeResetToken(tx: Tx, tokenHash: Buffer): Promise<string | undefined> {
  const row = await maybeOne<{ customer_id: string }>(
    tx,
    `UPDATE password_reset_tokens SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
     RETURNING customer_id`,
    [tokenHash],
  );
  return row?.customer_id;
}

/** Stores the hash of a new e-mail verification token valid for `ttlDays`. */
export async function insertVerificationToken(tx: Tx, customerId: string, tokenHash: Buffer, ttlDays: number): Promise<void> {
  await exec(
    tx,
    `INSERT INTO email_verification_tokens (token_hash, customer_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
    [tokenHash, customerId, ttlDays],
  );
}

/**
 * Marks the customer of a live verification token as verified (first use kept) and returns them, in
 * one statement; clicking the link again while it is live answers the same.
 */
export async function verifyEmailByToken(db: Queryable, tokenHash: Buffer): Promise<CustomerRow | undefined> {
  return maybeOne<CustomerRow>(
    db,
    `WITH token AS (
       UPDATE email_verification_tokens SET used_at = coalesce(used_at, now())
       WHERE token_hash = $1 AND expires_at > now() RETURNING customer_id
     )
     UPDATE customers c SET email_verified_at = coalesce(c.email_verified_at, now()), updated_at = now()
     FROM token WHERE c.id = token.customer_id
     RETURNING ${CUSTOMER.split(', ').map((column) => `c.${column}`).join(', ')}`,
    [tokenHash],
  );
}

/** A customer's addresses, default first. */
export async function findAddresses(db: Queryable, customerId: string): Promise<AddressRow[]> {
  return many<AddressRow>(
    db,
    `SELECT ${ADDRESS} FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, created_at`,
    [customerId],
  );
}

/** How many addresses a customer has. */
export async function countAddresses(db: Queryable, customerId: string): Promise<number> {
  return (await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM addresses WHERE customer_id = $1', [customerId])).n;
}

/** Clears the default flag on a customer's other addresses. */
export async function clearDefaultAddress(tx: Tx, customerId: string, exceptId: string | null): Promise<void> {
  await exec(tx, 'UPDATE addresses SET is_default = false WHERE customer_id = $1 AND id IS DISTINCT FROM $2 AND is_default', [
    customerId,
    exceptId,
  ]);
}

/** Inserts an address. */
export async function insertAddress(tx: Tx, customerId: string, input: AddressInput): Promise<AddressRow> {
  return one<AddressRow>(
    tx,
    `INSERT INTO addresses (customer_id, name, line1, line2, postal_code, city, country, phone, is_default)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ADDRESS}`,
    [customerId, input.name, input.line1, input.line2 ?? null, input.postalCode, input.city, input.country, input.phone ?? null, input.isDefault],
  );
}

/** Updates the given fields of the customer's address; undefined when it is not theirs. */
export async function updateAddress(tx: Tx, customerId: string, id: string, patch: AddressPatch): Promise<AddressRow | undefined> {
  return maybeOne<AddressRow>(
    tx,
    `UPDATE addresses SET
       name = coalesce($3, name), line1 = coalesce($4, line1), line2 = coalesce($5, line2),
       postal_code = coalesce($6, postal_code), city = coalesce($7, city), country = coalesce($8, country),
       phone = coalesce($9, phone), is_default = coalesce($10, is_default), updated_at = now()
     WHERE id = $2 AND customer_id = $1
     RETURNING ${ADDRESS}`,
    [customerId, id, patch.name, patch.line1, patch.line2, patch.postalCode, patch.city, patch.country, patch.phone, patch.isDefault],
  );
}

/** Deletes the customer's address; returns whether it existed. */
export async function deleteAddress(db: Queryable, customerId: string, id: string): Promise<boolean> {
  return (await exec(db, 'DELETE FROM addresses WHERE id = $2 AND customer_id = $1', [customerId, id])) > 0;
}
