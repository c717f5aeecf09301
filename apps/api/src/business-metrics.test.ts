import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exec, many } from '@girlycrea/db';
import { createMailer, createOutboxWorker, countOutbox } from '@girlycrea/mailer';
import { startSmtpSink, type SmtpSink } from '@girlycrea/mailer/testing';
import { createMetrics, type Metrics } from '@girlycrea/observability/metrics';
import { uniqueLabel } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countExpiryRun, createExpireOrdersJob } from './jobs/expire-orders.js';
import { buildApp, createTestApp, type TestApp } from './testing.js';
import { addToCart, checkoutBody, openBrowser, postCheckout, variantPicker, type VariantPicker } from './testing/shop.js';

let t: TestApp;
let pick: VariantPicker;
let sink: SmtpSink;
beforeAll(async () => {
  t = await createTestApp();
  pick = variantPicker(t.db);
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
  await t?.close();
});

/** The value of one sample of the exposition text (0 when absent, as Prometheus' rate() would see it start). */
async function sample(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = (await metrics.render())
    .split('\n')
    .find((l) => !l.startsWith('#') && (l.startsWith(`${name} `) || (l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

/** Series a scrape returns: every sample line. */
async function seriesCount(metrics: Metrics): Promise<number> {
  return (await metrics.render()).split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

describe('business metrics', () => {
  it('an order counts a cart add, a placed order, then a paid order and its revenue in cents; a replayed checkout counts nothing more', async () => {
    const metrics = createMetrics();
    const app = buildApp({ db: t.db, cache: t.cache, metrics });
    const [variant] = await pick(1, 10);
    const browser = await openBrowser(app);
    await addToCart(browser, variant!.id, 2);
    expect(await sample(metrics, 'cart_adds_total')).toBe(1);

    const key = uniqueLabel('cle');
    const placed = await postCheckout(browser, key, checkoutBody({ email: `${uniqueLabel('metrique')}@exemple.fr` }));
    expect(placed.status).toBe(201);
    expect(await sample(metrics, 'orders_created_total')).toBe(1);
    expect(await sample(metrics, 'orders_paid_total')).toBe(0);
    expect((await postCheckout(browser, key, checkoutBody({ email: placed.body.order.email }))).status).toBe(201);
    expect(await sample(metrics, 'orders_created_total')).toBe(1);

    const orderId = placed.body.order.id as string;
    const paid = await browser.agent
      .post(`/api/payments/test/${orderId}/confirm`)
      .set('X-CSRF-Token', browser.csrf)
      .set('Idempotency-Key', uniqueLabel('k'))
      .send({ outcome: 'succeed' });
    expect(paid.status).toBe(200);
    expect(await sample(metrics, 'orders_paid_total')).toBe(1);
    expect(await sample(metrics, 'revenue_cents_total')).toBe(placed.body.order.totalCents);
    expect(placed.body.order.totalCents).toBeGreaterThan(0);
  });

  it('failed checkouts are counted by a closed reason; a declined payment cancels the order; refused sign-ins and rate limits are counted', async () => {
    const metrics = createMetrics();
    const app = buildApp({ db: t.db, cache: t.cache, metrics });
    // Every reason exists at 0 before any failure, so rate() has a series from the first scrape.
    expect(await sample(metrics, 'checkout_failures_total', { reason: 'out_of_stock' })).toBe(0);

    const empty = await openBrowser(app);
    expect((await postCheckout(empty, uniqueLabel('cle'), checkoutBody())).status).toBe(409);
    expect((await postCheckout(empty, uniqueLabel('cle'), { email: 'pas-un-email' })).status).toBe(400);
    expect(await sample(metrics, 'checkout_failures_total', { reason: 'cart_empty' })).toBe(1);
    expect(await sample(metrics, 'checkout_failures_total', { reason: 'validation' })).toBe(1);

    const [short] = await pick(1, 1);
    const greedy = await openBrowser(app);
    await addToCart(greedy, short!.id, 1);
    await exec(t.db, 'UPDATE variants SET stock = 0 WHERE id = $1', [short!.id]);
    expect((await postCheckout(greedy, uniqueLabel('cle'), checkoutBody())).status).toBe(409);
    expect(await sample(metrics, 'checkout_failures_total', { reason: 'out_of_stock' })).toBe(1);

    const [variant] = await pick(1, 5);
    const buyer = await openBrowser(app);
    await addToCart(buyer, variant!.id, 1);
    const placed = await postCheckout(buyer, uniqueLabel('cle'), checkoutBody());
    const declined = await buyer.agent
      .post(`/api/payments/test/${placed.body.order.id}/confirm`)
      .set('X-CSRF-Token', buyer.csrf)
      .set('Idempotency-Key', uniqueLabel('k'))
      .send({ outcome: 'fail' });
    expect(declined.status).toBe(200);
    expect(await sample(metrics, 'checkout_failures_total', { reason: 'payment_declined' })).toBe(1);
    expect(await sample(metrics, 'orders_cancelled_total', { reason: 'payment_failed' })).toBe(1);
    expect(await sample(metrics, 'revenue_cents_total')).toBe(0);

    const visitor = await openBrowser(app);
    const email = `${uniqueLabel('inconnue')}@exemple.fr`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await visitor.agent.post('/api/auth/login').set('X-CSRF-Token', visitor.csrf).send({ email, password: 'mauvais-mot-de-passe' });
      statuses.push(res.status);
    }
    // login-email allows 5 failures a minute: the sixth is refused by the limit, not by the password check.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await sample(metrics, 'login_failures_total')).toBe(5);
    expect(await sample(metrics, 'rate_limit_rejections_total', { route: '/api/auth/login' })).toBe(1);
  });

  it('a mail the SMTP server refuses shows in emails_failed_total and as a failed outbox message', async () => {
    const metrics = createMetrics({ countOutbox: () => countOutbox(t.db) });
    const to = `${uniqueLabel('refus')}@exemple.fr`;
    await exec(t.db, "UPDATE email_outbox SET status = 'sent', sent_at = now(), locked_until = NULL WHERE status IN ('pending', 'sending')");
    const before = await sample(metrics, 'outbox_messages', { status: 'failed' });
    const [variant] = await pick(1, 5);
    const app = buildApp({ db: t.db, cache: t.cache, metrics });
    const buyer = await openBrowser(app);
    await addToCart(buyer, variant!.id, 1);
    const placed = await postCheckout(buyer, uniqueLabel('cle'), checkoutBody({ email: to }));
    expect(placed.status).toBe(201);
    // The confirmation is queued once the order is paid.
    const paid = await buyer.agent
      .post(`/api/payments/test/${placed.body.order.id}/confirm`)
      .set('X-CSRF-Token', buyer.csrf)
      .set('Idempotency-Key', uniqueLabel('paiement'))
      .send({ outcome: 'succeed' });
    expect(paid.status).toBe(200);
    expect(await sample(metrics, 'outbox_messages', { status: 'pending' })).toBe(1);
    expect(await sample(metrics, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    await exec(t.db, "UPDATE email_outbox SET created_at = now() - interval '15 minutes' WHERE status = 'pending'");
    expect(await sample(metrics, 'outbox_oldest_pending_age_seconds')).toBeGreaterThan(14 * 60);

    // One refusal is final for this message: it fails for good at the first attempt.
    await exec(t.db, 'UPDATE email_outbox SET max_attempts = 1 WHERE to_address = $1', [to]);
    sink.rejectWith(550, 'mailbox unavailable');
    const mailer = createMailer({ smtpUrl: sink.url, from: 'boutique@boutique.test' });
    const outbox = createOutboxWorker({ pool: t.db, mailer, onSent: () => metrics.emailsSent.inc(), onFailed: () => metrics.emailsFailed.inc() });
    try {
      await outbox.runOnce();
    } finally {
      await mailer.close();
      sink.rejectWith(null);
    }
    expect(await sample(metrics, 'emails_failed_total')).toBe(1);
    expect(await sample(metrics, 'emails_sent_total')).toBe(0);
    expect(await sample(metrics, 'outbox_messages', { status: 'failed' })).toBe(before + 1);
    expect(await sample(metrics, 'outbox_messages', { status: 'pending' })).toBe(0);
    expect(await sample(metrics, 'outbox_oldest_pending_age_seconds')).toBe(0);
    const rows = await many<{ status: string }>(t.db, 'SELECT status FROM email_outbox WHERE to_address = $1', [to]);
    expect(rows.map((row) => row.status)).toEqual(['failed']);
  });

  it('the expiry job stamps its last successful run and counts the orders it cancelled', async () => {
    const metrics = createMetrics();
    const [variant] = await pick(1, 5);
    const app = buildApp({ db: t.db, cache: t.cache, metrics });
    const buyer = await openBrowser(app);
    await addToCart(buyer, variant!.id, 1);
    const placed = await postCheckout(buyer, uniqueLabel('cle'), checkoutBody());
    await exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [placed.body.order.id]);
    const job = createExpireOrdersJob({ db: t.db, onSuccess: (cancelled) => countExpiryRun(metrics, cancelled) });
    const started = Date.now() / 1000;
    expect(await job.runOnce()).toBeGreaterThanOrEqual(1);
    expect(await sample(metrics, 'expire_orders_last_success_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(started));
    expect(await sample(metrics, 'orders_cancelled_total', { reason: 'expired' })).toBeGreaterThanOrEqual(1);
  });

  it('stays under 200 series after 10,000 distinct product URLs, and counts catalog cache hits and misses by layer', async () => {
    const metrics = createMetrics({ pool: t.db, countOutbox: () => countOutbox(t.db) });
    const server = createServer(buildApp({ db: t.db, cache: t.cache, metrics }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [product] = await many<{ slug: string }>(t.db, "SELECT slug FROM products WHERE status = 'active' LIMIT 1");
    try {
      // Same URL three times: a shared-cache miss (or hit), then shared-cache hits.
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${base}/api/products/${product!.slug}`)).status).toBe(200);
      expect(await sample(metrics, 'catalog_cache_requests_total', { layer: 'redis', result: 'hit' })).toBeGreaterThanOrEqual(2);
      const urls = Array.from({ length: 10_000 }, (_, i) => `/api/products/absent-${i}`);
      // 16 clients at a time over keep-alive connections.
      let next = 0;
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < urls.length) {
            const res = await fetch(base + urls[next++]!);
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      expect(Object.fromEntries(statuses)).toEqual({ 404: 10_000 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const text = await metrics.render();
    expect(text).not.toContain('absent-');
    expect(await sample(metrics, 'catalog_cache_requests_total', { layer: 'redis', result: 'miss' })).toBeGreaterThanOrEqual(10_000);
    const series = await seriesCount(metrics);
    console.log(`series after 10,000 distinct product URLs: ${series}`);
    expect(series).toBeLessThan(200);
  }, 240_000);
});
