import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { waitForMail } from '../harness/mail.js';
import { addProductToCart, expectCartCount, fillCheckout, type ShopRef } from './shop.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Paying by card on Stripe's hosted page (the stand-in's), and giving up there. */
export function stripeJourneys(shop: ShopRef): void {
  describe('paiement Stripe (page hébergée)', () => {
    it('invitée : « Payer » ouvre la page Stripe, le paiement revient sur la confirmation en français, commande payée et e-mail reçu', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const guest = newCustomer('stripe');
      try {
        await addProductToCart(page, { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 2 });
        await page.goto('/commande');
        await fillCheckout(page, guest);
        await page.getByRole('radio', { name: 'Carte bancaire (Stripe)' }).check();
        await page.getByTestId('paiement-stripe').waitFor();
        await page.getByRole('button', { name: 'Payer' }).click();

        // Stripe's page, on Stripe's origin: no card field on ours.
        await page.waitForURL((url) => url.href.startsWith(`${stack.stripe.url}/c/pay/`), { timeout: 15_000 });
        const shown = await page.getByTestId('montant').textContent();
        await page.getByRole('button', { name: /^Payer/ }).click();

        await page.waitForURL(/\/commande\/confirmation\/[\w-]+\?paiement=stripe$/, { timeout: 15_000 });
        const heading = await page.getByRole('heading', { name: /Merci/ }).textContent();
        const number = /n°\s*(\S+)/.exec(heading ?? '')?.[1];
        expect(number, heading ?? '').toMatch(/^GC-\d+$/);
        await page.getByText('Statut : Payée').waitFor();
        await expectCartCount(page, 0);

        const orderId = new URL(page.url()).pathname.split('/').pop()!;
        const { rows } = await stack.sql(
          'SELECT o.status, o.total_cents, p.status AS payment, p.intent_ref FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1',
          [orderId],
        );
        const total = rows[0]?.total_cents as number;
        expect(rows).toEqual([{ status: 'paid', total_cents: total, payment: 'succeeded', intent_ref: expect.stringMatching(/^pi_/) }]);
        // The hosted page asked for our total, in euros, with the order number on the card statement.
        const euros = `${(total / 100).toFixed(2).replace('.', ',')}`;
        expect(shown).toBe(`${euros} €`);
        const session = [...stack.stripe.sessions.values()].find((s) => s.metadata.orderId === orderId)!;
        expect(session).toMatchObject({ amount_total: total, currency: 'eur', statement_descriptor_suffix: number });

        // The confirmation goes out once paid, never before.
        const mail = await waitForMail(stack.mailDir, guest.email, new RegExp(`Confirmation de votre commande n° ${escapeRegExp(number!)}`));
        expect(mail.text).toContain(euros);
      } finally {
        await context.close();
      }
    });

    it('paiement abandonné sur la page Stripe : retour au panier, articles toujours là, commande non payée', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const guest = newCustomer('abandon');
      try {
        await addProductToCart(page, { search: 'barrette perlée', product: 'Barrette perlée nacrée', variant: 'Crème', quantity: 2 });
        await page.goto('/commande');
        await fillCheckout(page, guest);
        await page.getByRole('radio', { name: 'Carte bancaire (Stripe)' }).check();
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.waitForURL((url) => url.href.startsWith(`${stack.stripe.url}/c/pay/`), { timeout: 15_000 });
        const sessionId = new URL(page.url()).pathname.split('/').pop()!;

        await page.getByRole('link', { name: 'Retour à la boutique' }).click();
        await page.waitForURL(/\/panier$/, { timeout: 15_000 });
        await page.getByText('Paiement annulé').waitFor();
        await page.getByText('Barrette perlée nacrée').first().waitFor();
        await expectCartCount(page, 2);
        // A reload does not add the lines a second time.
        await page.reload();
        await page.getByText('Barrette perlée nacrée').first().waitFor();
        await expectCartCount(page, 2);

        const orderId = stack.stripe.sessions.get(sessionId)!.metadata.orderId;
        const { rows } = await stack.sql('SELECT status FROM orders WHERE id = $1', [orderId]);
        expect(rows).toEqual([{ status: 'pending_payment' }]);
      } finally {
        await context.close();
      }
    });
  });
}
