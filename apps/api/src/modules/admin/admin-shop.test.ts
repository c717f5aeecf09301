import { many, one } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing.js';
import { signInAdmin } from '../../testing/admin.js';
import { addToCart, checkoutBody, openBrowser, postCheckout, refreshCsrf, useShopTest, type VariantPicker } from '../../testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

describe('dashboard, e-mails and customers in the back office', () => {
  it('the dashboard counts today’s paid orders and revenue, orders to ship, low stock and failed e-mails; a failed e-mail can be sent again', async () => {
    const admin = await signInAdmin(t);
    const before = (await admin.agent.get('/api/admin/dashboard')).body;
    const browser = await openBrowser(t.app);
    const [variant] = await pick(1, 2);
    await addToCart(browser, variant!.id, 1);
    const order = (await postCheckout(browser, uniqueLabel('cle'))).body.order;
    await browser.agent.post(`/api/payments/test/${order.id}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('p')).send({ outcome: 'succeed' });
    const failed = await one<{ id: string }>(t.db, "UPDATE email_outbox SET status = 'failed', last_error = '550 boîte inconnue' WHERE id = (SELECT id FROM email_outbox WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1) RETURNING id");

    const after = (await admin.agent.get('/api/admin/dashboard')).body;
    expect(after.today).toEqual({ orders: before.today.orders + 1, revenueCents: before.today.revenueCents + order.totalCents });
    expect(after.month.orders).toBe(before.month.orders + 1);
    expect(after.toShip).toBe(before.toShip + 1);
    // Stock 2, less the one sold: at or under the default threshold of 3.
    expect(after.lowStock).toContainEqual(expect.objectContaining({ variantId: variant!.id, stock: 1, threshold: 3 }));
    expect(after.failedEmails).toContainEqual(expect.objectContaining({ id: failed.id, lastError: '550 boîte inconnue' }));

    const retry = await admin.agent.post(`/api/admin/emails/${failed.id}/retry`).set('X-CSRF-Token', admin.csrf);
    expect(retry.status).toBe(204);
    expect((await many<{ status: string }>(t.db, 'SELECT status FROM email_outbox WHERE id = $1', [failed.id]))[0]!.status).toBe('pending');
    expect((await admin.agent.post(`/api/admin/emails/${failed.id}/retry`).set('X-CSRF-Token', admin.csrf)).status).toBe(409);
    expect((await admin.agent.get(`/api/admin/audit?entityType=email&entityId=${failed.id}`)).body.items[0]).toMatchObject({ action: 'email.retry', before: { status: 'failed' }, after: { status: 'pending' } });
  });

  it('GDPR: a customer’s data exports as JSON; erasing anonymises her, ends her sessions, keeps her orders for the accounts with personal fields blanked', async () => {
    const admin = await signInAdmin(t);
    const email = `${uniqueLabel('rgpd')}@exemple.fr`;
    let customer = await openBrowser(t.app);
    const registered = await customer.agent.post('/api/auth/register').set('X-CSRF-Token', customer.csrf).send({ email, password: 'Perles-de-nacre-2026', name: 'Léa Dupont' });
    expect(registered.status).toBe(201);
    customer = await refreshCsrf(customer);
    const [variant] = await pick(1, 10);
    await addToCart(customer, variant!.id, 1);
    const order = (await postCheckout(customer, uniqueLabel('cle'), checkoutBody({ email }))).body.order;
    const id = registered.body.user.id as string;

    const found = await admin.agent.get(`/api/admin/customers?q=${encodeURIComponent(email)}`);
    expect(found.body).toMatchObject({ total: 1, items: [{ id, email, name: 'Léa Dupont', orders: 1 }] });
    const exported = await admin.agent.get(`/api/admin/customers/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.customer).toMatchObject({ email, name: 'Léa Dupont' });
    expect(exported.body.orders[0]).toMatchObject({ number: order.number, lines: [expect.objectContaining({ sku: variant!.sku })] });

    expect((await admin.agent.post(`/api/admin/customers/${id}/erase`).set('X-CSRF-Token', admin.csrf)).status).toBe(204);
    expect((await customer.agent.get('/api/me')).status).toBe(401);
    const elsewhere = await openBrowser(t.app);
    const login = await elsewhere.agent.post('/api/auth/login').set('X-CSRF-Token', elsewhere.csrf).send({ email, password: 'Perles-de-nacre-2026' });
    expect(login.status).toBe(401);
    const row = await one<{ email: string; name: string; password_hash: string | null }>(t.db, 'SELECT email, name, password_hash FROM customers WHERE id = $1', [id]);
    expect(row).toEqual({ email: `efface-${id}@anonyme.invalid`, name: 'Cliente effacée', password_hash: null });
    const kept = await one<{ email: string; shipping_address: { name: string; line1: string }; total_cents: number }>(t.db, 'SELECT email, shipping_address, total_cents FROM orders WHERE id = $1', [order.id]);
    expect(kept).toMatchObject({ email: `efface-${id}@anonyme.invalid`, shipping_address: { name: 'Cliente effacée', line1: '' }, total_cents: order.totalCents });
    expect(await many(t.db, 'SELECT 1 FROM email_outbox WHERE to_address = $1', [email])).toEqual([]);
    expect((await admin.agent.get(`/api/admin/audit?entityType=customer&entityId=${id}`)).body.items[0]).toMatchObject({ action: 'customer.erase' });
    // Admins are not customers: their accounts cannot be erased from here.
    const { id: adminId } = await one<{ id: string }>(t.db, 'SELECT id FROM customers WHERE email = $1', [admin.email]);
    expect((await admin.agent.post(`/api/admin/customers/${adminId}/erase`).set('X-CSRF-Token', admin.csrf)).status).toBe(404);
  });
});
