import { DbError, exec, many, maybeOne, one, withTransaction, type Pool, type Queryable } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import { recordAudit, type Actor } from './audit.js';
import {
  discountProblem,
  type AdminDiscount,
  type AdminShippingMethod,
  type DiscountInput,
  type DiscountPatch,
  type ShippingMethodInput,
  type ShippingMethodPatch,
} from './offers-schema.js';

// Checkout reads codes and methods from PostgreSQL on every quote (gc_quote keeps only active
// methods and live codes): a change here applies to the next cart or checkout, no cache to drop.

interface DiscountRow {
  id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  min_subtotal_cents: number;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  per_email_limit: number | null;
  active: boolean;
  used_count: number;
  created_at: Date;
}

const DISCOUNT_COLUMNS = 'id, code, kind, value, min_subtotal_cents, starts_at, ends_at, usage_limit, per_customer_limit, per_email_limit, active, used_count, created_at';

const toDiscount = (row: DiscountRow): AdminDiscount => ({
  id: row.id,
  code: row.code,
  kind: row.kind,
  value: row.value,
  minSubtotalCents: row.min_subtotal_cents,
  startsAt: row.starts_at?.toISOString() ?? null,
  endsAt: row.ends_at?.toISOString() ?? null,
  usageLimit: row.usage_limit,
  perCustomerLimit: row.per_customer_limit,
  perEmailLimit: row.per_email_limit,
  active: row.active,
  usedCount: row.used_count,
  createdAt: row.created_at.toISOString(),
});

// The unique index on the code refused the write.
function duplicateCode(error: unknown): never {
  if (error instanceof DbError && error.kind === 'conflict') {
    const message = 'Ce code existe déjà : choisissez-en un autre.';
    throw new AppError('conflict', message, { details: [{ path: 'code', message }] });
  }
  throw error;
}

const invalid = (problem: { path: string; message: string }) =>
  new AppError('invalid_request', `Code promo invalide : ${problem.message}.`, { details: [problem] });

/** Every discount code, live ones first, with its use count. */
export async function listDiscounts(db: Queryable): Promise<{ items: AdminDiscount[] }> {
  const rows = await many<DiscountRow>(db, `SELECT ${DISCOUNT_COLUMNS} FROM discount_codes ORDER BY active DESC, created_at DESC, code`);
  return { items: rows.map(toDiscount) };
}

/** Creates a discount code (stored upper case); a code already taken is 409 and nothing is written. */
export async function createDiscount(db: Pool, actor: Actor, input: DiscountInput): Promise<AdminDiscount> {
  return withTransaction(db, async (tx) => {
    const row = await one<DiscountRow>(
      tx,
      `INSERT INTO discount_codes (code, kind, value, min_subtotal_cents, starts_at, ends_at, usage_limit, per_customer_limit, per_email_limit, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${DISCOUNT_COLUMNS}`,
      [input.code, input.kind, input.value, input.minSubtotalCents, input.startsAt, input.endsAt, input.usageLimit, input.perCustomerLimit, input.perEmailLimit, input.active],
    );
    const after = toDiscount(row);
    await recordAudit(tx, actor, { action: 'discount.create', entityType: 'discount', entityId: after.id, after });
    return after;
  }).catch(duplicateCode);
}

/**
 * Changes a discount code; `active: false` disables it (checkout then refuses it). The fields are
 * checked together with the stored ones (a percent above 100, an end before the start: 400), and a
 * usage limit below the uses already counted is 409. Nothing is written when refused.
 */
export async function updateDiscount(db: Pool, actor: Actor, id: string, patch: DiscountPatch): Promise<AdminDiscount> {
  return withTransaction(db, async (tx) => {
    const current = await maybeOne<DiscountRow>(tx, `SELECT ${DISCOUNT_COLUMNS} FROM discount_codes WHERE id = $1 FOR UPDATE`, [id]);
    if (!current) throw new AppError('not_found', 'Code promo introuvable.');
    const before = toDiscount(current);
    const merged = { ...before, ...patch };
    const problem = discountProblem(merged);
    if (problem) throw invalid(problem);
    if (merged.usageLimit !== null && merged.usageLimit < before.usedCount) {
      const message = `ce code a déjà servi ${before.usedCount} fois : la limite ne peut pas être plus basse`;
      throw new AppError('conflict', `Limite d’utilisation trop basse : ${message}.`, { details: [{ path: 'usageLimit', message }] });
    }
    const row = await one<DiscountRow>(
      tx,
      `UPDATE discount_codes SET code = $2, kind = $3, value = $4, min_subtotal_cents = $5, starts_at = $6, ends_at = $7,
         usage_limit = $8, per_customer_limit = $9, per_email_limit = $10, active = $11
       WHERE id = $1 RETURNING ${DISCOUNT_COLUMNS}`,
      [id, merged.code, merged.kind, merged.value, merged.minSubtotalCents, merged.startsAt, merged.endsAt, merged.usageLimit, merged.perCustomerLimit, merged.perEmailLimit, merged.active],
    );
    const after = toDiscount(row);
    await recordAudit(tx, actor, { action: 'discount.update', entityType: 'discount', entityId: id, before, after });
    return after;
  }).catch(duplicateCode);
}

interface ShippingRow {
  id: string;
  name: string;
  price_cents: number;
  free_over_cents: number | null;
  position: number;
  active: boolean;
  orders: number;
}

const SHIPPING_SELECT = `SELECT s.id, s.name, s.price_cents, s.free_over_cents, s.position, s.active,
  (SELECT count(*)::int FROM orders o WHERE o.shipping_method_id = s.id) AS orders FROM shipping_methods s`;

const toShipping = (row: ShippingRow): AdminShippingMethod => ({
  id: row.id,
  name: row.name,
  priceCents: row.price_cents,
  freeOverCents: row.free_over_cents,
  position: row.position,
  active: row.active,
  orders: row.orders,
});

/** Every shipping method (offered or not) in display order, with the number of orders that used it. */
export async function listShippingMethods(db: Queryable): Promise<{ items: AdminShippingMethod[] }> {
  return { items: (await many<ShippingRow>(db, `${SHIPPING_SELECT} ORDER BY s.position, s.id`)).map(toShipping) };
}

const findShipping = (db: Queryable, id: string, lock = false) =>
  maybeOne<ShippingRow>(db, `${SHIPPING_SELECT} WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`, [id]);

/** Creates a shipping method (home delivery unless its id is a known carrier's); an id already taken is 409. */
export async function createShippingMethod(db: Pool, actor: Actor, input: ShippingMethodInput): Promise<AdminShippingMethod> {
  return withTransaction(db, async (tx) => {
    await exec(
      tx,
      'INSERT INTO shipping_methods (id, name, price_cents, free_over_cents, position, active) VALUES ($1, $2, $3, $4, $5, $6)',
      [input.id, input.name, input.priceCents, input.freeOverCents, input.position, input.active],
    );
    const after = toShipping((await findShipping(tx, input.id))!);
    await recordAudit(tx, actor, { action: 'shipping_method.create', entityType: 'shipping_method', entityId: input.id, after });
    return after;
  }).catch((error: unknown) => {
    if (error instanceof DbError && error.kind === 'conflict') {
      const message = 'Cet identifiant est déjà pris par un autre mode de livraison.';
      throw new AppError('conflict', message, { details: [{ path: 'id', message }] });
    }
    throw error;
  });
}

/** Changes a shipping method; `active: false` stops offering it (checkout then refuses it; orders keep their method). */
export async function updateShippingMethod(db: Pool, actor: Actor, id: string, patch: ShippingMethodPatch): Promise<AdminShippingMethod> {
  return withTransaction(db, async (tx) => {
    const current = await findShipping(tx, id, true);
    if (!current) throw new AppError('not_found', 'Mode de livraison introuvable.');
    const before = toShipping(current);
    const merged = { ...before, ...patch };
    await exec(
      tx,
      'UPDATE shipping_methods SET name = $2, price_cents = $3, free_over_cents = $4, position = $5, active = $6 WHERE id = $1',
      [id, merged.name, merged.priceCents, merged.freeOverCents, merged.position, merged.active],
    );
    const after = toShipping((await findShipping(tx, id))!);
    await recordAudit(tx, actor, { action: 'shipping_method.update', entityType: 'shipping_method', entityId: id, before, after });
    return after;
  });
}
