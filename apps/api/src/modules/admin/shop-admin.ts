import type { SessionStore } from '@girlycrea/cache';
import { exec, many, maybeOne, one, withTransaction, type Pool } from '@girlycrea/db';
import { AppError } from '../../http/errors.js';
import { recordAudit, type Actor } from './audit.js';

/** The owner's dashboard figures (days and months in Paris time). */
export interface Dashboard {
  today: { orders: number; revenueCents: number };
  month: { orders: number; revenueCents: number };
  toShip: number;
  lowStock: { variantId: string; productId: string; sku: string; title: string; stock: number; threshold: number }[];
  failedEmails: { id: string; template: string; to: string; lastError: string | null; createdAt: string }[];
}

/** Today's and this month's paid orders and revenue, orders to ship, low stock and failed e-mails. */
export async function getDashboard(db: Pool): Promise<Dashboard> {
  const sums = await one<{ today_orders: number; today_cents: number; month_orders: number; month_cents: number; to_ship: number }>(
    db,
    `WITH bounds AS (
       SELECT date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris' AS day,
              date_trunc('month', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris' AS month
     )
     SELECT count(*) FILTER (WHERE o.paid_at >= b.day)::int AS today_orders,
            coalesce(sum(o.total_cents) FILTER (WHERE o.paid_at >= b.day), 0)::int AS today_cents,
            count(*) FILTER (WHERE o.paid_at >= b.month)::int AS month_orders,
            coalesce(sum(o.total_cents) FILTER (WHERE o.paid_at >= b.month), 0)::int AS month_cents,
            (SELECT count(*)::int FROM orders WHERE status IN ('paid', 'preparing')) AS to_ship
     FROM bounds b LEFT JOIN orders o ON o.paid_at >= b.month AND o.status NOT IN ('cancelled', 'refunded')
     GROUP BY b.day, b.month`,
  );
  const lowStock = await many<{ id: string; product_id: string; sku: string; title: string; stock: number; low_stock_threshold: number }>(
    db,
    `SELECT v.id, v.product_id, v.sku, p.title || ' — ' || v.title AS title, v.stock, v.low_stock_threshold
     FROM variants v JOIN products p ON p.id = v.product_id
     WHERE v.status = 'active' AND p.status = 'active' AND v.stock <= v.low_stock_threshold
     ORDER BY v.stock, v.sku LIMIT 50`,
  );
  const failed = await many<{ id: string; template: string; to_address: string; last_error: string | null; created_at: Date }>(
    db,
    "SELECT id, template, to_address, last_error, created_at FROM email_outbox WHERE status = 'failed' ORDER BY created_at DESC LIMIT 50",
  );
  return {
    today: { orders: sums.today_orders, revenueCents: sums.today_cents },
    month: { orders: sums.month_orders, revenueCents: sums.month_cents },
    toShip: sums.to_ship,
    lowStock: lowStock.map((v) => ({ variantId: v.id, productId: v.product_id, sku: v.sku, title: v.title, stock: v.stock, threshold: v.low_stock_threshold })),
    failedEmails: failed.map((e) => ({ id: e.id, template: e.template, to: e.to_address, lastError: e.last_error, createdAt: e.created_at.toISOString() })),
  };
}

/** Sends a failed e-mail again: back in the outbox, due now, with its refusals forgotten. 404 unknown; 409 when it has not failed. */
export async function retryEmail(db: Pool, actor: Actor, id: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const row = await maybeOne<{ status: string }>(tx, 'SELECT status FROM email_outbox WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new AppError('not_found', 'E-mail introuvable.');
    if (row.status !== 'failed') throw new AppError('invalid_state', 'Seul un e-mail en échec peut être renvoyé.', { details: { status: row.status } });
    await exec(tx, "UPDATE email_outbox SET status = 'pending', rejections = 0, next_attempt_at = now(), locked_until = NULL WHERE id = $1", [id]);
    await recordAudit(tx, actor, { action: 'email.retry', entityType: 'email', entityId: id, before: { status: 'failed' }, after: { status: 'pending' } });
  });
}

/** A customer in the back office list. */
export interface CustomerSummary {
  id: string;
  email: string;
  name: string;
  orders: number;
  createdAt: string;
}

/** Customers (not admins) by e-mail or name, newest first. */
export async function listCustomers(db: Pool, query: { q?: string | undefined; page: number; limit: number }) {
  const q = query.q ? query.q.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
  const where = `WHERE c.role = 'customer' AND ($1::text IS NULL OR c.email ILIKE '%' || $1 || '%' OR c.name ILIKE '%' || $1 || '%')`;
  const rows = await many<{ id: string; email: string; name: string; orders: number; created_at: Date }>(
    db,
    `SELECT c.id, c.email, c.name, (SELECT count(*)::int FROM orders o WHERE o.customer_id = c.id) AS orders, c.created_at
     FROM customers c ${where} ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3`,
    [q, query.limit, (query.page - 1) * query.limit],
  );
  const { total } = await one<{ total: number }>(db, `SELECT count(*)::int AS total FROM customers c ${where}`, [q]);
  return {
    items: rows.map((r): CustomerSummary => ({ id: r.id, email: r.email, name: r.name, orders: r.orders, createdAt: r.created_at.toISOString() })),
    page: query.page,
    limit: query.limit,
    total,
  };
}

/** One customer as the back office shows her: account, saved addresses, orders newest first. */
export interface CustomerDetail {
  customer: { id: string; email: string; name: string; createdAt: string; emailVerifiedAt: string | null };
  addresses: { id: string; name: string; line1: string; line2: string | null; postalCode: string; city: string; country: string; phone: string | null; isDefault: boolean }[];
  orders: { id: string; number: string; status: string; totalCents: number; createdAt: string }[];
}

/** One customer with her addresses and orders; 404 for an unknown id or an admin. */
export async function getCustomer(db: Pool, id: string): Promise<CustomerDetail> {
  const customer = await maybeOne<{ id: string; email: string; name: string; created_at: Date; email_verified_at: Date | null }>(
    db,
    "SELECT id, email, name, created_at, email_verified_at FROM customers WHERE id = $1 AND role = 'customer'",
    [id],
  );
  if (!customer) throw new AppError('not_found', 'Cliente introuvable.');
  const addresses = await many<{ id: string; name: string; line1: string; line2: string | null; postal_code: string; city: string; country: string; phone: string | null; is_default: boolean }>(
    db,
    'SELECT id, name, line1, line2, postal_code, city, country, phone, is_default FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, created_at',
    [id],
  );
  const orders = await many<{ id: string; number: string; status: string; total_cents: number; created_at: Date }>(
    db,
    'SELECT id, number, status, total_cents, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 200',
    [id],
  );
  return {
    customer: { id: customer.id, email: customer.email, name: customer.name, createdAt: customer.created_at.toISOString(), emailVerifiedAt: customer.email_verified_at?.toISOString() ?? null },
    addresses: addresses.map((a) => ({ id: a.id, name: a.name, line1: a.line1, line2: a.line2, postalCode: a.postal_code, city: a.city, country: a.country, phone: a.phone, isDefault: a.is_default })),
    orders: orders.map((o) => ({ id: o.id, number: o.number, status: o.status, totalCents: o.total_cents, createdAt: o.created_at.toISOString() })),
  };
}

/**
 * Everything the shop holds about one customer (GDPR access and portability): account, addresses,
 * orders with their lines. 404 for an unknown id or an admin.
 */
export async function exportCustomer(db: Pool, id: string) {
  const customer = await maybeOne<{ id: string; email: string; name: string; created_at: Date }>(
    db,
    "SELECT id, email, name, created_at FROM customers WHERE id = $1 AND role = 'customer'",
    [id],
  );
  if (!customer) throw new AppError('not_found', 'Cliente introuvable.');
  const addresses = await many(db, 'SELECT name, line1, line2, postal_code, city, country, phone, is_default, created_at FROM addresses WHERE customer_id = $1 ORDER BY created_at', [id]);
  const orders = await many(
    db,
    `SELECT o.number, o.status, o.email, o.shipping_address, o.shipping_method_name, o.total_cents, o.vat_cents, o.created_at, o.paid_at,
       coalesce((SELECT json_agg(json_build_object('sku', l.sku, 'title', l.title, 'variant', l.variant_title, 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents) ORDER BY l.position)
                 FROM order_lines l WHERE l.order_id = o.id), '[]') AS lines
     FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at`,
    [id],
  );
  return { exportedAt: new Date().toISOString(), customer: { ...customer, created_at: customer.created_at.toISOString() }, addresses, orders };
}

const ERASED_EMAIL = (id: string) => `efface-${id}@anonyme.invalid`;

/**
 * Erases a customer (GDPR): the account is anonymised and can no longer sign in, addresses are
 * deleted, sessions ended; orders stay for the accounts with their personal fields blanked.
 */
export async function eraseCustomer(db: Pool, sessions: SessionStore, actor: Actor, id: string): Promise<void> {
  await withTransaction(db, async (tx) => {
    const customer = await maybeOne<{ email: string }>(tx, "SELECT email FROM customers WHERE id = $1 AND role = 'customer' FOR UPDATE", [id]);
    if (!customer) throw new AppError('not_found', 'Cliente introuvable.');
    const erased = ERASED_EMAIL(id);
    await exec(tx, "UPDATE customers SET email = $2, name = 'Cliente effacée', password_hash = NULL, updated_at = now() WHERE id = $1", [id, erased]);
    await exec(tx, 'DELETE FROM addresses WHERE customer_id = $1', [id]);
    await exec(tx, 'DELETE FROM password_reset_tokens WHERE customer_id = $1', [id]);
    const orders = await exec(
      tx,
      `UPDATE orders SET email = $2, updated_at = now(),
         shipping_address = jsonb_build_object('name', 'Cliente effacée', 'line1', '', 'postalCode', '', 'city', '', 'country', shipping_address->>'country')
       WHERE customer_id = $1 OR email = $3`,
      [id, erased, customer.email],
    );
    // The e-mails' data repeat names and addresses; one being sent right now is left to finish.
    await exec(tx, "DELETE FROM email_outbox WHERE to_address = $1 AND status <> 'sending'", [customer.email]);
    await recordAudit(tx, actor, { action: 'customer.erase', entityType: 'customer', entityId: id, before: { orders }, after: { email: erased } });
  });
  await sessions.destroyAllForUser(id);
}
