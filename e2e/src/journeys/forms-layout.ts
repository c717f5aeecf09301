import { TEST_SELLER } from '@girlycrea/testkit';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { addProductToCart, fillCheckout, type ShopRef } from './shop.js';

const BRACELET = { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 1 };
/** 200 characters without a space: the search term that once made the page 5,454 px wide. */
const LONG_TERM = 'perles'.repeat(34).slice(0, 200);

/** Whether the page is wider than the window (a horizontal scrollbar), with the widest culprit. */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string }> {
  return page.evaluate(() => {
    let widest = '';
    let right = window.innerWidth;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right > right + 1) {
        right = box.right;
        widest = `${el.tagName.toLowerCase()}.${el.className}`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, widest };
  });
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Forms that help rather than scold, and pages that never scroll sideways. */
export function formsAndLayoutJourneys(shop: ShopRef): void {
  describe('formulaires et mise en page', () => {
    it('formulaires : focus sur la première erreur, erreurs effacées une fois corrigées, code promo et stock expliqués près du champ', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      try {
        // Stock: 7 left of one variant, 9 asked for (under the per-order cap of 10).
        await stack.sql(`UPDATE variants SET stock = 7 WHERE sku = (SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = 'barrette-perlee-nacree' ORDER BY v.position LIMIT 1)`);
        await page.goto('/produits/barrette-perlee-nacree');
        await page.getByRole('radio', { name: 'Crème' }).check();
        await page.getByLabel('Quantité', { exact: true }).fill('9');
        await page.getByRole('button', { name: 'Ajouter au panier' }).click();
        const stockMessage = page.locator('.buy-box__status .flash--error');
        await stockMessage.waitFor();
        expect(await stockMessage.textContent()).toContain('Il n’en reste que 7');

        await addProductToCart(page, BRACELET);

        // The discount code's error sits under the code field, in plain French, and goes when the code is edited.
        await page.goto('/panier');
        const code = page.getByLabel('Code de réduction');
        for (const wrong of ['x!', 'INCONNU2026']) {
          await code.fill(wrong);
          await page.getByRole('button', { name: 'Appliquer' }).click();
          const error = page.locator('#code-reduction-erreur');
          await error.waitFor();
          const text = (await error.textContent()) ?? '';
          expect(text).toMatch(/^Ce code de réduction n’(existe pas|est pas valable)/);
          expect(text).not.toMatch(/Vérifiez|invalide|\(/);
          expect(await code.getAttribute('aria-invalid')).toBe('true');
          expect(await code.getAttribute('aria-describedby')).toBe('code-reduction-erreur');
          expect(await focusedId(page)).toBe('code-reduction');
          await code.fill('');
          await error.waitFor({ state: 'detached' });
        }
        expect(await page.locator('.cart-summary').getByText(/Vérifiez ces champs/).count()).toBe(0);

        // Checkout: an empty submit focuses the first field in the page (E-mail), not "Nom".
        await page.goto('/commande');
        await page.locator('input[name="livraison"]').first().waitFor();
        await page.getByRole('button', { name: 'Payer' }).click();
        await expect.poll(() => focusedId(page)).toBe('champ-email');
        expect(await page.locator('.field__error').count()).toBeGreaterThanOrEqual(4);

        // A wrong postal code shows its error; correcting it removes the error without another submit.
        const customer = newCustomer('formulaire');
        await fillCheckout(page, customer);
        await page.getByLabel('Code postal').fill('6900');
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.locator('#champ-postalCode-erreur').waitFor();
        expect(await focusedId(page)).toBe('champ-postalCode');
        await page.getByLabel('Code postal').fill('69003');
        await page.locator('#champ-postalCode-erreur').waitFor({ state: 'detached' });
        expect(await page.getByLabel('Code postal').getAttribute('aria-invalid')).toBeNull();
        expect(await page.locator('.field__error').count()).toBe(0);
      } finally {
        await context.close();
      }
    });

    for (const width of [390, 1280]) {
      it(`à ${width} px aucune page ne défile de côté, même avec une recherche de 200 caractères ou une longue adresse e-mail`, async () => {
        const { stack, browser } = shop();
        const { page, context } = await openShop(browser, stack.webUrl, { viewport: { width, height: width < 600 ? 844 : 900 } });
        const checkPage = async (path: string | null) => {
          if (path) await page.goto(path);
          await page.waitForLoadState('networkidle');
          const seen = await overflow(page);
          expect(seen.scrollWidth, `${page.url()} : ${seen.widest}`).toBeLessThanOrEqual(seen.innerWidth);
        };
        try {
          for (const path of ['/', '/categorie/bijoux', `/recherche?q=${LONG_TERM}`, '/mentions-legales', '/cgv', '/compte/connexion', '/produits/bracelet-perles-dorees']) {
            await checkPage(path);
          }
          // The product's pictures follow the chosen variant.
          const main = page.locator('.gallery__main img');
          await page.getByRole('radio', { name: 'Doré' }).check();
          await expect.poll(() => main.getAttribute('src')).toContain('-dore-');
          await page.getByRole('radio', { name: 'Rose' }).check();
          await expect.poll(() => main.getAttribute('src')).toContain('-rose-');

          await addProductToCart(page, BRACELET);
          await page.goto('/panier');
          await page.locator('.cart-line__thumb img').first().waitFor();
          expect(await page.locator('.cart-line__thumb img').first().getAttribute('src')).toContain('/api/media/products/bracelet-perles-dorees-rose-');
          await checkPage(null);
          await page.goto('/commande');
          await page.locator('.order-lines__thumb img').first().waitFor();
          const longEmail = `camille.${'tres-longue-adresse-'.repeat(4)}${width}@exemple-de-domaine-interminable.fr`;
          await fillCheckout(page, { email: longEmail, name: 'Camille Martin' });
          await checkPage(null);
          await page.getByRole('button', { name: 'Payer' }).click();
          await page.getByRole('heading', { name: /Merci/ }).waitFor({ timeout: 15_000 });
          await page.getByText(longEmail, { exact: true }).waitFor();
          await checkPage(null);
          // The order number stays on one line ("GC-000002", never "GC-" then "000002").
          const number = page.locator('.confirmation__hero .order-number');
          const lines = await number.evaluate((el) => el.getClientRects().length);
          expect(lines).toBe(1);

          if (width < 600) {
            // The category bar is wider than the phone: it scrolls, and its fading edge says so.
            const bar = page.getByRole('navigation', { name: 'Catégories' }).locator('ul');
            const { scrollWidth, clientWidth, mask } = await bar.evaluate((el) => ({
              scrollWidth: el.scrollWidth,
              clientWidth: el.clientWidth,
              mask: getComputedStyle(el).maskImage || getComputedStyle(el).getPropertyValue('-webkit-mask-image'),
            }));
            expect(scrollWidth).toBeGreaterThan(clientWidth);
            expect(mask).toContain('linear-gradient');
          }
        } finally {
          await context.close();
        }
      });
    }

    it('les mentions légales affichent l’identité du vendeur venue de la configuration, sans « à compléter »', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      try {
        for (const path of ['/mentions-legales', '/cgv']) {
          await page.goto(path);
          const text = (await page.locator('main').textContent()) ?? '';
          expect(text).toContain(TEST_SELLER.SELLER_SIRET);
          expect(text).not.toContain('à compléter');
        }
        const notice = (await page.goto('/mentions-legales'), (await page.locator('main').textContent()) ?? '');
        for (const value of [TEST_SELLER.SELLER_ADDRESS, TEST_SELLER.SELLER_HOST, TEST_SELLER.SELLER_MEDIATOR, TEST_SELLER.SELLER_VAT_NUMBER]) {
          expect(notice).toContain(value);
        }
      } finally {
        await context.close();
      }
    });
  });
}
