import { exec, many } from '@girlycrea/db';
import { uniqueLabel } from '@girlycrea/testkit';
import { describe, expect, it } from 'vitest';
import type { Limits } from '../../limits.js';
import { buildApp, type TestApp } from '../../testing.js';
import { addToCart, checkoutBody, emailsTo, openBrowser, postCheckout, refreshCsrf, stockOf, useShopTest, type Browser, type VariantPicker } from '../../testing/shop.js';

// The attacks of issue 22, run against the API as an outsider would; each must now fail to do harm.
let t: TestApp;
let pick: VariantPicker;
useShopTest((app, picker) => ((t = app), (pick = picker)));

/** An API process on the test database and Redis with these limits (the others at their defaults). */
const shopWith = (limits: Partial<Limits>) => buildApp({ db: t.db, cache: t.cache, config: limits });

/** A guest session whose requests all come from `ip` (behind the trusted proxy). */
async function browserFrom(app: ReturnType<typeof buildApp>, ip: string): Promise<Browser> {
  const browser = await openBrowser(app);
  browser.agent.set('X-Forwarded-For', ip);
  return browser;
}

const confirmPayment = (browser: Browser, orderId: string, outcome: 'succeed' | 'fail') =>
  browser.agent.post(`/api/payments/test/${orderId}/confirm`).set('X-CSRF-Token', browser.csrf).set('Idempotency-Key', uniqueLabel('paiement')).send({ outcome });

const heldUnits = async (emailLike: string) =>
  (
    await many<{ units: number }>(
      t.db,
      `SELECT coalesce(sum(l.quantity), 0)::int AS units FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.email LIKE $1 AND o.status = 'pending_payment'`,
      [emailLike],
    )
  )[0]!.units;

const mailsLike = async (emailLike: string) =>
  many<{ template: string; to_address: string }>(t.db, 'SELECT template, to_address FROM email_outbox WHERE to_address LIKE $1', [emailLike]);

describe('stock hoarding (repro 1)', () => {
  it('a script filling carts to the maximum and never paying holds at most the per-IP cap; a real buyer still buys every item', async () => {
    const limits = { LIMIT_LINE_QUANTITY: 5, LIMIT_UNPAID_ORDERS: 2, LIMIT_HELD_UNITS: 10, LIMIT_UNPAID_ORDERS_PER_IP: 4, LIMIT_HELD_UNITS_PER_IP: 20 };
    const shop = shopWith(limits);
    const variants = await pick(8, 20);
    const label = uniqueLabel('accapareur');
    const ip = '203.0.113.7';

    // The script of the report: quantity = min(stock, 99) for every variant, then check out and never pay.
    const greedy = await browserFrom(shop, ip);
    const tooMany = await greedy.agent.post('/api/cart/items').set('X-CSRF-Token', greedy.csrf).send({ variantId: variants[0]!.id, quantity: 6 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe('5 exemplaires au plus de cet article par commande.');
    for (const variant of variants) await addToCart(greedy, variant.id, limits.LIMIT_LINE_QUANTITY);
    const refused = await postCheckout(greedy, uniqueLabel('cle'), checkoutBody({ email: `${label}-0@exemple.fr` }));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^Trop de commandes en attente de paiement/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // Then the cleverer script: carts just under the per-session cap, a new session and address each time, from one IP.
    const answers: number[] = [];
    for (let round = 1; round <= 8; round += 1) {
      const session = await browserFrom(shop, ip);
      for (const variant of variants.slice((round % 4) * 2, (round % 4) * 2 + 2)) await addToCart(session, variant.id, limits.LIMIT_LINE_QUANTITY);
      answers.push((await postCheckout(session, uniqueLabel('cle'), checkoutBody({ email: `${label}-${round}@exemple.fr` }))).status);
    }
    expect(answers.filter((status) => status === 201)).toHaveLength(2);
    expect(answers.filter((status) => status === 429)).toHaveLength(6);
    expect(await heldUnits(`${label}-%`)).toBeLessThanOrEqual(limits.LIMIT_HELD_UNITS_PER_IP);

    // A real buyer, elsewhere, still gets one of each of the 8 items.
    const buyer = await openBrowser(shop);
    for (const variant of variants) await addToCart(buyer, variant.id, 1);
    const bought = await postCheckout(buyer, uniqueLabel('cle'), checkoutBody({ email: `${uniqueLabel('cliente')}@exemple.fr` }));
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
  });

  it('one address cannot place more unpaid orders than its cap, whatever the sessions and IPs', async () => {
    const shop = shopWith({ LIMIT_UNPAID_ORDERS: 3, LIMIT_HELD_UNITS: 30 });
    const [variant] = await pick(1, 100);
    const email = `${uniqueLabel('meme-adresse')}@exemple.fr`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const session = await openBrowser(shop);
      await addToCart(session, variant!.id, 1);
      statuses.push((await postCheckout(session, uniqueLabel('cle'), checkoutBody({ email }))).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(await stockOf(t.db, variant!.id)).toBe(97);
  });

  it('cart writes are limited per session: past the limit, 429 with Retry-After and a French message', async () => {
    const shop = shopWith({ RATE_CART_WRITES_PER_MINUTE: 5 });
    const [variant] = await pick(1, 50);
    const browser = await openBrowser(shop);
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await browser.agent.post('/api/cart/items').set('X-CSRF-Token', browser.csrf).send({ variantId: variant!.id, quantity: 1 }));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers[5]!.body.error.message).toMatch(/^Trop de modifications du panier : réessayez dans \d+ s\.$/);
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
    // Another shopper is not affected.
    const other = await openBrowser(shop);
    await addToCart(other, variant!.id, 1);
  });

  it('checkouts are limited per session: past the limit, 429 before any order is attempted', async () => {
    const shop = shopWith({ RATE_CHECKOUTS_PER_HOUR: 2 });
    const browser = await openBrowser(shop);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postCheckout(browser, uniqueLabel('cle'))).status);
    // The cart is empty: 409 twice, then the limit.
    expect(statuses).toEqual([409, 409, 429]);
  });
});

describe('mail abuse (repros 2 and 16)', () => {
  it('40 checkouts from one guest session to 40 addresses send no e-mail at all while unpaid, and the session is stopped early', async () => {
    const [variant] = await pick(1, 100);
    const label = uniqueLabel('spam');
    const browser = await openBrowser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      // Refused checkouts keep the cart: it is refilled only when an order emptied it.
      if (statuses.at(-1) !== 429) await addToCart(browser, variant!.id, 1);
      statuses.push((await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email: `${label}-${i}@exemple.fr` }))).status);
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.slice(3).every((status) => status === 429)).toBe(true);
    expect(await mailsLike(`${label}-%`)).toEqual([]);
  });

  it('declining payment for order after order to 40 addresses sends at most the per-session cap of messages, and never a confirmation', async () => {
    const shop = shopWith({
      LIMIT_UNPAID_ORDERS: 100,
      LIMIT_HELD_UNITS: 1000,
      LIMIT_UNPAID_ORDERS_PER_IP: 100,
      LIMIT_HELD_UNITS_PER_IP: 1000,
      RATE_CHECKOUTS_PER_HOUR: 100,
      MAIL_PER_SESSION_PER_DAY: 5,
    });
    const [variant] = await pick(1, 100);
    const label = uniqueLabel('refus');
    const browser = await openBrowser(shop);
    for (let i = 0; i < 40; i += 1) {
      await addToCart(browser, variant!.id, 1);
      const placed = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email: `${label}-${i}@exemple.fr` }));
      expect(placed.status).toBe(201);
      expect((await confirmPayment(browser, placed.body.order.id, 'fail')).status).toBe(200);
    }
    const mails = await mailsLike(`${label}-%`);
    expect(mails).toHaveLength(5);
    expect(new Set(mails.map((mail) => mail.template))).toEqual(new Set(['payment_failed']));
  });

  it('one address receives at most its daily cap, whatever the sessions', async () => {
    const shop = shopWith({ LIMIT_UNPAID_ORDERS: 100, LIMIT_HELD_UNITS: 1000, MAIL_PER_ADDRESS_PER_DAY: 3 });
    const [variant] = await pick(1, 100);
    const email = `${uniqueLabel('cible')}@exemple.fr`;
    for (let i = 0; i < 6; i += 1) {
      const browser = await openBrowser(shop);
      await addToCart(browser, variant!.id, 1);
      const placed = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }));
      expect((await confirmPayment(browser, placed.body.order.id, 'fail')).status).toBe(200);
    }
    expect(await emailsTo(t.db, email)).toHaveLength(3);
  });

  it('a message in the name or address ("Votre compte sera suspendu : appelez le 06…") is refused with 400, per field', async () => {
    const browser = await openBrowser(t.app);
    const [variant] = await pick(1, 10);
    await addToCart(browser, variant!.id, 1);
    const scam = 'Votre compte sera suspendu: appelez le 06 12 34 56 78';
    const body = checkoutBody();
    const res = await postCheckout(browser, uniqueLabel('cle'), {
      ...body,
      shippingAddress: { ...body.shippingAddress, name: scam, line1: 'Rendez-vous sur http://arnaque.example !', city: 'Lyon' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['shippingAddress.name', 'shippingAddress.line1']));
    const tooLong = await postCheckout(browser, uniqueLabel('cle'), { ...body, shippingAddress: { ...body.shippingAddress, name: 'A'.repeat(81) } });
    expect(tooLong.status).toBe(400);
    // Ordinary French names and addresses pass.
    const fine = await postCheckout(browser, uniqueLabel('cle'), {
      ...body,
      shippingAddress: { name: 'Anne-Sophie d’Aubigné', line1: '3 bis, allée des Châtaigniers', line2: 'Bât. B (2° étage)', postalCode: '13001', city: 'Saint-Étienne-du-Rouvray', country: 'FR', phone: '06 12 34 56 78' },
    });
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('a declined test payment sends one message and no confirmation; the retry sends nothing until it is paid, then one confirmation', async () => {
    const [variant] = await pick(1, 10);
    const email = `${uniqueLabel('nouvelle')}@exemple.fr`;
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 1);
    const first = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }));
    expect(first.status).toBe(201);
    expect(await emailsTo(t.db, email)).toEqual([]);
    expect((await confirmPayment(browser, first.body.order.id, 'fail')).body.order.status).toBe('payment_failed');
    expect((await emailsTo(t.db, email)).map((mail) => mail.template)).toEqual(['payment_failed']);

    await addToCart(browser, variant!.id, 1);
    const retry = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email }));
    expect(retry.status).toBe(201);
    expect((await emailsTo(t.db, email)).map((mail) => mail.template)).toEqual(['payment_failed']);
    expect((await confirmPayment(browser, retry.body.order.id, 'succeed')).body.order.status).toBe('paid');
    const mails = await emailsTo(t.db, email);
    expect(mails.map((mail) => mail.template)).toEqual(['payment_failed', 'order_confirmation']);
    expect(mails[1]!.data.orderNumber).toBe(retry.body.order.number);
  });
});

describe('price raised between add-to-cart and checkout (repro 11)', () => {
  it('the total the customer saw is checked: 409 price_changed with the new total, nothing taken; the new total goes through', async () => {
    const [variant] = await pick(1, 10);
    await exec(t.db, 'UPDATE variants SET price_cents = 2000 WHERE id = $1', [variant!.id]);
    const browser = await openBrowser(t.app);
    await addToCart(browser, variant!.id, 2);
    const seen = (await browser.agent.get('/api/cart').query({ shippingMethodId: 'atelier' })).body.totalCents as number;
    expect(seen).toBe(4000);
    await exec(t.db, 'UPDATE variants SET price_cents = 2500 WHERE id = $1', [variant!.id]);

    const email = `${uniqueLabel('prix')}@exemple.fr`;
    const changed = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email, shippingMethodId: 'atelier', expectedTotalCents: seen }));
    expect(changed.status).toBe(409);
    expect(changed.body.error).toEqual({
      code: 'price_changed',
      message: 'Le total de votre commande a changé : il est maintenant de 50,00 €. Vérifiez-le avant de payer.',
      details: { totalCents: 5000, expectedTotalCents: 4000 },
    });
    expect(await stockOf(t.db, variant!.id)).toBe(10);
    expect(await many(t.db, 'SELECT 1 FROM orders WHERE email = $1', [email])).toEqual([]);

    const accepted = await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email, shippingMethodId: 'atelier', expectedTotalCents: 5000 }));
    expect(accepted.status).toBe(201);
    expect(accepted.body.order.totalCents).toBe(5000);
  });
});

describe('discount codes (repros 6 and 12)', () => {
  const apply = (browser: Browser, code: string) => browser.agent.post('/api/cart/discount').set('X-CSRF-Token', browser.csrf).send({ code });

  it('unknown, expired and used-up codes get the same answer, and guessing is stopped after a few refusals', async () => {
    const used = uniqueLabel('EPUISE').toUpperCase().replace(/[^A-Z0-9_-]/g, '').slice(0, 40);
    const expired = uniqueLabel('FINI').toUpperCase().replace(/[^A-Z0-9_-]/g, '').slice(0, 40);
    await exec(t.db, "INSERT INTO discount_codes (code, kind, value, usage_limit, used_count) VALUES ($1, 'fixed', 500, 1, 1)", [used]);
    await exec(t.db, "INSERT INTO discount_codes (code, kind, value, ends_at, starts_at) VALUES ($1, 'fixed', 500, now() - interval '1 day', now() - interval '2 days')", [expired]);
    const answers = [];
    for (const code of ['INCONNU123', used, expired]) answers.push(await apply(await openBrowser(t.app), code));
    for (const res of answers) {
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { code: 'discount_invalid', message: 'Ce code promo n’est pas valable.' } });
    }

    // 1,000 guesses in 1.9 s, as reported: now the session is stopped after 10 refusals.
    const guesser = await openBrowser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await apply(guesser, `DEVINE${i}X`)).status);
    expect(statuses).toEqual([...Array<number>(10).fill(409), 429, 429]);
    const blocked = await apply(guesser, 'BIENVENUE10');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/^Trop de codes promo refusés/);
  });

  it('the welcome code serves one order per e-mail address; a failed payment gives the use back', async () => {
    const [variant] = await pick(1, 20);
    const email = `${uniqueLabel('bienvenue')}@exemple.fr`;
    const order = async () => {
      const browser = await openBrowser(t.app);
      await addToCart(browser, variant!.id, 1);
      expect((await apply(browser, 'BIENVENUE10')).status).toBe(200);
      return { browser, res: await postCheckout(browser, uniqueLabel('cle'), checkoutBody({ email })) };
    };
    const first = await order();
    expect(first.res.status).toBe(201);
    const second = await order();
    expect(second.res.status).toBe(409);
    expect(second.res.body.error).toMatchObject({ code: 'discount_invalid', message: 'Vous avez déjà utilisé ce code promo.' });

    await confirmPayment(first.browser, first.res.body.order.id, 'fail');
    expect((await order()).res.status).toBe(201);
  });

  it('a signed-in customer cannot reuse the welcome code under another address; limits are set per code', async () => {
    const [variant] = await pick(1, 20);
    const browser = await openBrowser(t.app);
    const registered = await browser.agent
      .post('/api/auth/register')
      .set('X-CSRF-Token', browser.csrf)
      .send({ email: `${uniqueLabel('compte')}@exemple.fr`, password: 'Un-mot-de-passe-2026', name: 'Léa Martin' });
    expect(registered.status).toBe(201);
    const customer = await refreshCsrf(browser);
    await addToCart(customer, variant!.id, 1);
    expect((await apply(customer, 'BIENVENUE10')).status).toBe(200);
    expect((await postCheckout(customer, uniqueLabel('cle'), checkoutBody({ email: `${uniqueLabel('a')}@exemple.fr` }))).status).toBe(201);
    await addToCart(customer, variant!.id, 1);
    const again = await apply(customer, 'BIENVENUE10');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Ce code promo n’est pas valable.');

    // A code the owner allows twice per address.
    const code = uniqueLabel('DEUXFOIS').toUpperCase().replace(/[^A-Z0-9_-]/g, '').slice(0, 40);
    await exec(t.db, "INSERT INTO discount_codes (code, kind, value, per_email_limit) VALUES ($1, 'fixed', 100, 2)", [code]);
    const email = `${uniqueLabel('deux')}@exemple.fr`;
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      const guest = await openBrowser(t.app);
      await addToCart(guest, variant!.id, 1);
      expect((await apply(guest, code)).status).toBe(200);
      statuses.push((await postCheckout(guest, uniqueLabel('cle'), checkoutBody({ email }))).status);
    }
    expect(statuses).toEqual([201, 201, 409]);
  });
});
