import { describe, expect, it } from 'vitest';
import { launchPersistent, openShop, tempProfile } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { waitForMail } from '../harness/mail.js';
import { register, signIn } from './accounts.js';
import { addProductToCart, cartLink, expectCartCount, fillCheckout, type ShopRef } from './shop.js';

const BRACELET = { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 2 };

/** Cart, checkout and payment with the API's `test` provider. */
export function checkoutJourneys(shop: ShopRef): void {
  describe('panier et commande', () => {
    it('parcours invité : recherche, variante, 2 articles, panier, commande, paiement test, confirmation numérotée et e-mail', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const guest = newCustomer('invitee');
      try {
        await addProductToCart(page, BRACELET);
        await expectCartCount(page, 2);

        await cartLink(page).click();
        await page.waitForURL(/\/panier$/);
        await page.getByText('Bracelet perles dorées').first().waitFor();
        expect(await page.locator('.totals__total dd').textContent()).toContain('37,80\u00a0€');
        await page.getByRole('button', { name: 'Commander' }).click();
        await page.waitForURL(/\/commande$/);

        await fillCheckout(page, guest);
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
        const heading = await page.getByRole('heading', { name: /Merci/ }).textContent();
        const number = /n°\s*(\S+)/.exec(heading ?? '')?.[1];
        expect(number, heading ?? '').toBeTruthy();
        await expectCartCount(page, 0);

        // The confirmation, not the payment notice that carries the same number.
        const mail = await waitForMail(stack.mailDir, guest.email, new RegExp(`^Confirmation de votre commande n° ${number!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
        expect(mail.text).toContain('Bracelet perles dorées');

        // The e-mail's link opens the order anywhere, without the session.
        const link = /https?:\/\/[^\s"<>]+\/commandes\/[\w-]+\?token=[\w-]+/.exec(mail.text)?.[0];
        expect(link, mail.text).toBeDefined();
        await context.clearCookies();
        await page.goto(new URL(link!).pathname + new URL(link!).search);
        await page.getByRole('heading', { name: `Commande n° ${number}` }).waitFor();
        await page.getByText('Payée').waitFor();
      } finally {
        await context.close();
      }
    });

    it('paiement refusé : un message clair s’affiche, la commande n’est pas confirmée et un nouvel essai réussit', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      const guest = newCustomer('refus');
      try {
        await addProductToCart(page, { search: 'barrette perlée', product: 'Barrette perlée nacrée', variant: 'Crème', quantity: 1 });
        await page.goto('/commande');
        await fillCheckout(page, guest);
        await page.getByLabel('Simuler un paiement refusé').check();
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.getByRole('alert').getByText(/Votre paiement a été refusé/).waitFor();
        expect(page.url()).toMatch(/\/commande$/);

        await page.getByLabel('Simuler un paiement refusé').uncheck();
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
        await page.getByRole('heading', { name: /Merci/ }).waitFor();
      } finally {
        await context.close();
      }
    });

    it('prix modifié entre le panier et le paiement : le nouveau total s’affiche en français, rien n’est commandé, puis le paiement passe', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const guest = newCustomer('prix');
      const item = { search: 'barrette perlée', product: 'Barrette perlée nacrée', variant: 'Crème', quantity: 1 };
      const { rows } = await stack.sql('SELECT v.id, v.price_cents FROM variants v JOIN products p ON p.id = v.product_id WHERE p.title = $1 AND v.title = $2', [
        item.product,
        item.variant,
      ]);
      const variant = rows[0] as { id: string; price_cents: number };
      try {
        await addProductToCart(page, item);
        await page.goto('/commande');
        await fillCheckout(page, guest);
        const shownBefore = await page.locator('.totals__total dd').textContent();
        await stack.sql('UPDATE variants SET price_cents = price_cents + 500 WHERE id = $1', [variant.id]);
        await page.getByRole('button', { name: 'Payer' }).click();
        const alert = page.getByRole('alert').getByText(/Le total de votre commande a changé .* il est maintenant de/);
        await alert.waitFor();
        expect(page.url()).toMatch(/\/commande$/);
        const { rows: orders } = await stack.sql('SELECT 1 FROM orders WHERE email = $1', [guest.email]);
        expect(orders).toEqual([]);
        // The summary shows the new total, the one the alert names.
        await expect.poll(() => page.locator('.totals__total dd').textContent()).not.toBe(shownBefore);
        const shownAfter = (await page.locator('.totals__total dd').textContent())!.replace(/\s/g, ' ');
        expect((await alert.textContent())!.replace(/\s/g, ' ')).toContain(shownAfter.trim());

        await page.getByRole('button', { name: 'Payer' }).click();
        await page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
      } finally {
        await stack.sql('UPDATE variants SET price_cents = $2 WHERE id = $1', [variant.id, variant.price_cents]);
        await context.close();
      }
    });

    it('cliente connectée : le panier invité fusionne à la connexion et la commande apparaît dans son compte', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      const customer = newCustomer('fusion');
      try {
        await register(page, customer);
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL((url) => url.pathname === '/');
        await context.clearCookies();

        await addProductToCart(page, { search: 'bougie soja', product: 'Bougie parfumée à la cire de soja', variant: 'Figue', quantity: 1 });
        await expectCartCount(page, 1);
        await page.goto('/compte/connexion');
        await signIn(page, customer.email, customer.password);
        await page.waitForURL(/\/compte$/);
        await expectCartCount(page, 1);

        await page.goto('/commande');
        await expect.poll(() => page.getByLabel('E-mail', { exact: true }).inputValue(), { timeout: 15_000 }).toBe(customer.email);
        await fillCheckout(page, { name: customer.name });
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
        const number = /n°\s*(\S+)/.exec((await page.getByRole('heading', { name: /Merci/ }).textContent()) ?? '')?.[1];

        await page.goto('/compte/commandes');
        await page.getByRole('link', { name: `Commande n° ${number}` }).waitFor();
      } finally {
        await context.close();
      }
    });

    it('le panier survit au redémarrage du navigateur puis à celui de l’API', async () => {
      const { stack } = shop();
      const profile = await tempProfile();
      try {
        let context = await launchPersistent(profile.dir);
        let page = context.pages()[0] ?? (await context.newPage());
        await page.goto(stack.webUrl);
        const base = stack.webUrl;
        await page.goto(`${base}/produits/chouchou-en-velours-rose-poudre`);
        await page.getByRole('button', { name: 'Ajouter au panier' }).click();
        await page.getByText('Ajouté au panier').waitFor();
        await context.close();

        context = await launchPersistent(profile.dir);
        page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`${base}/panier`);
        await page.getByText('Chouchou en velours rose poudré').first().waitFor();

        await stack.api.stop();
        await stack.api.start();
        await page.reload();
        await page.getByText('Chouchou en velours rose poudré').first().waitFor();
        await expectCartCount(page, 1);
        await context.close();
      } finally {
        await profile.remove();
      }
    });
  });
}
