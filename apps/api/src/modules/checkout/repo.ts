import { exec, many, maybeOne, type Queryable, type Tx } from '@girlycrea/db';

/** A variant with what pricing and stock checks need. */
export interface VariantRow {
  id: string;
  sku: string;
  title: string;
  variant_title: string;
  price_cents: number;
  stock: number;
  /** Active variant of an active product. */
  purchasable: boolean;
}

/** A shipping_methods row. */
export interface ShippingMethodRow {
  id: string;
  name: string;
  price_cents: number;
  free_over_cents: number | null;
}

/** A discount_codes row with its validity evaluated at the database's clock. */
export interface DiscountRow {
  id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  min_subtotal_cents: number;
  is_live: boolean;
  is_used_up: boolean;
}

/** The variants with these ids (any status), with their product title. */
export async function findVariants(db: Queryable, ids: string[]): Promise<VariantRow[]> {
  if (ids.length === 0) return [];
  return many<VariantRow>(
    db,
    `SELECT v.id, v.sku, p.title, v.title AS variant_title, v.price_cents, v.stock,
            (v.status = 'active' AND p.status = 'active') AS purchasable
     FROM variants v JOIN products p ON p.id = v.product_id
     WHERE v.id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Active shipping methods in display order. */
export async function findShippingMethods(db: Queryable): Promise<ShippingMethodRow[]> {
  return many<ShippingMethodRow>(db, 'SELECT id, name, price_cents, free_over_cents FROM shipping_methods WHERE active ORDER BY position, id');
}

/** One active shipping method. */
export async function findShippingMethod(db: Queryable, id: string): Promise<ShippingMethodRow | undefined> {
  return maybeOne<ShippingMethodRow>(db, 'SELECT id, name, price_cents, free_over_cents FROM shipping_methods WHERE id = $1 AND active', [id]);
}

const LIVE = `active AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())`;

/** The discount code, matched case-insensitively. */
export async function findDiscountByCode(db: Queryable, code: string): Promise<DiscountRow | undefined> {
  return maybeOne<DiscountRow>(
    db,
    `SELECT id, code, kind, value, min_subtotal_cents, (${LIVE}) AS is_live,
            (usage_limit IS NOT NULL AND used_count >= usage_limit) AS is_used_up
     FROM discount_codes WHERE code = upper($1)`,
    [code],
  );
}

/** Counts one use of a live code if it has uses left; false otherwise (one conditional UPDATE). */
export async function consumeDiscount(tx: Tx, id: string): Promise<boolean> {
  return (
    (await exec(tx, `UPDATE discount_codes SET used_count = used_count + 1 WHERE id = $1 AND ${LIVE} AND (usage_limit IS NULL OR used_count < usage_limit)`, [id])) === 1
  );
}

/** Gives back one use of a code (its order was cancelled unpaid). */
export async function releaseDiscount(tx: Tx, id: string): Promise<void> {
  await exec(tx, 'UPDATE discount_codes SET used_count = used_count - 1 WHERE id = $1 AND used_count > 0', [id]);
}
