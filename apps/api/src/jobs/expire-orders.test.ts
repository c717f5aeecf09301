import { exec, many } from '@girlycrea/db';
import { describe, expect, it } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import type { TestApp } from '../testing.js';
import { addToCart, openBrowser, postCheckout, stockOf, useShopTest, type VariantPicker } from '../testing/shop.js';
import { createExpireOrdersJob } from './expire-orders.js';

let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

async function placeOrders(variantId: string, count: number, quantity: number, discountCode?: string) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const browser = await openBrowser(t.app);
      await addToCart(browser, variantId, quantity);
      if (discountCode) await browser.agent.post('/api/cart/discount').set('X-CSRF-Token', browser.csrf).send({ code: discountCode });
      const res = await postCheckout(browser, uniqueLabel('cle'));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { browser, order: res.body.order as { id: string } };
    }),
  );
}

const expireNow = (ids: string[]) => exec(t.db, "UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])", [ids]);
const statuses = async (ids: string[]) => (await many<{ status: string }>(t.db, 'SELECT status FROM orders WHERE id = ANY($1::uuid[])', [ids])).map((r) => r.status);

describe('expiry of unpaid orders', () => {
  it('cancels expired unpaid orders and gives their stock back exactly once, with two runners at the same time', async () => {
    const [variant] = await pick(1, 50);
    await exec(t.db, "INSERT INTO discount_codes (code, kind, value, usage_limit) VALUES ('EXPIRE5', 'percent', 5, 100)");
    const placed = await placeOrders(variant!.id, 12, 2, 'expire5');
    const fresh = await placeOrders(variant!.id, 1, 3);
    expect(await stockOf(t.db, variant!.id)).toBe(50 - 24 - 3);
    const ids = placed.map((p) => p.order.id);
    await expireNow(ids);

    // Two processes' jobs, small batches so they really interleave.
    const [a, b] = [createExpireOrdersJob({ db: t.db, batchSize: 2 }), createExpireOrdersJob({ db: t.db, batchSize: 2 })];
    const [doneA, doneB] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(doneA + doneB).toBe(12);
    expect(await statuses(ids)).toEqual(Array(12).fill('cancelled'));
    expect(await stockOf(t.db, variant!.id)).toBe(50 - 3);
    expect((await many<{ used_count: number }>(t.db, "SELECT used_count FROM discount_codes WHERE code = 'EXPIRE5'"))[0]!.used_count).toBe(0);
    // Running again changes nothing; the unexpired order keeps its stock.
    expect(await a.runOnce()).toBe(0);
    expect(await stockOf(t.db, variant!.id)).toBe(47);
    expect(await statuses([fresh[0]!.order.id])).toEqual(['pending_payment']);
  });

  it('a payment arriving after expiry is refused with 409 and leaves the stock as released, never negative', async () => {
    const [variant] = await pick(1, 2);
    const { browser, order } = (await placeOrders(variant!.id, 1, 2))[0]!;
    expect(await stockOf(t.db, variant!.id)).toBe(0);
    await expireNow([order.id]);
    await createExpireOrdersJob({ db: t.db }).runOnce();
    expect(await stockOf(t.db, variant!.id)).toBe(2);
    // Someone else buys the released stock.
    await placeOrders(variant!.id, 1, 2);
    const late = await browser.agent.post(`/api/payments/test/${order.id}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'invalid_state', details: { status: 'cancelled' } });
    expect(await statuses([order.id])).toEqual(['cancelled']);
    expect(await stockOf(t.db, variant!.id)).toBe(0);
  });

  it('a paid order never expires, even past its deadline', async () => {
    const [variant] = await pick(1, 5);
    const { browser, order } = (await placeOrders(variant!.id, 1, 1))[0]!;
    const paid = await browser.agent.post(`/api/payments/test/${order.id}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('k')).send({ outcome: 'succeed' });
    expect(paid.status).toBe(200);
    await expireNow([order.id]);
    await createExpireOrdersJob({ db: t.db }).runOnce();
    expect(await statuses([order.id])).toEqual(['paid']);
    expect(await stockOf(t.db, variant!.id)).toBe(4);
  });

  it('start() runs on its interval and stop() waits for the run in progress', async () => {
    const [variant] = await pick(1, 5);
    const { order } = (await placeOrders(variant!.id, 1, 1))[0]!;
    await expireNow([order.id]);
    const job = createExpireOrdersJob({ db: t.db, intervalMs: 20 });
    job.start();
    try {
      await expect.poll(() => statuses([order.id]), { timeout: 3000, interval: 20 }).toEqual(['cancelled']);
    } finally {
      await job.stop();
    }
    expect(await stockOf(t.db, variant!.id)).toBe(5);
  });

  it('drops idempotency records older than the retention on each run', async () => {
    await exec(
      t.db,
      `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at) VALUES
         ('purge', 'ancienne', decode('00', 'hex'), 201, '{}', now() - interval '8 days'),
         ('purge', 'recente', decode('00', 'hex'), 201, '{}', now())`,
    );
    await createExpireOrdersJob({ db: t.db }).runOnce();
    expect(await many(t.db, "SELECT key FROM idempotency_keys WHERE scope = 'purge'")).toEqual([{ key: 'recente' }]);
  });

  it('deletes sent e-mails after 30 days and failed ones after 90, never a pending one', async () => {
    const to = `purge-${Date.now()}@exemple.fr`;
    const rows: [string, string, number][] = [
      ['sent-old', 'sent', 31],
      ['sent-new', 'sent', 29],
      ['failed-old', 'failed', 91],
      ['failed-new', 'failed', 60],
      ['pending-old', 'pending', 200],
    ];
    for (const [label, status, days] of rows) {
      await exec(
        t.db,
        `INSERT INTO email_outbox (template, to_address, data, message_id, status, sent_at, created_at)
         VALUES ('welcome', $1, jsonb_build_object('label', $2::text), $3, $4, CASE WHEN $4 = 'sent' THEN now() END, now() - make_interval(days => $5))`,
        [to, label, `<${label}-${Date.now()}@girlycrea.fr>`, status, days],
      );
    }
    await createExpireOrdersJob({ db: t.db }).runOnce();
    const left = await many<{ label: string }>(t.db, "SELECT data->>'label' AS label FROM email_outbox WHERE to_address = $1 ORDER BY 1", [to]);
    expect(left.map((row) => row.label)).toEqual(['failed-new', 'pending-old', 'sent-new']);
  });
});
