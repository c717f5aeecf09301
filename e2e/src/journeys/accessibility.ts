import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeViolations, horizontalOverflow, seriousViolations } from '../harness/axe.js';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { matchesRoute, pageRoutes } from '../harness/routes.js';
import { register } from './accounts.js';
import { createOwner, PIXEL, signInOwner } from './admin.js';
import { addProductToCart, expectCartCount, fillCheckout, type ShopRef } from './shop.js';

const PRODUCT = '/produits/chouchou-en-velours-rose-poudre';

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`aucun élément « ${selector} » atteint en ${max} tabulations`);
}

/** Whether the focused element (or, for visually hidden radios, its label text) shows a focus ring. */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return false;
    const ring = (node: Element | null) => {
      if (!node) return false;
      const style = getComputedStyle(node);
      return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    };
    return ring(el) || ring(el.nextElementSibling) || ring(el.parentElement);
  });
}

/** What is wrong with the page once its data is shown: axe's serious and critical violations, then any sideways overflow. */
async function pageProblems(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Chargement'), null, { timeout: 10_000 });
  const violations = await seriousViolations(page);
  const overflow = await horizontalOverflow(page);
  return [...(violations.length > 0 ? [describeViolations(violations)] : []), ...(overflow.length > 0 ? [`déborde à ${page.viewportSize()?.width} px : ${overflow.join(', ')}`] : [])];
}

/** A paid order by a new customer, through the storefront and the test provider. */
async function placePaidOrder(shop: ShopRef): Promise<void> {
  const shopper = await openShop(shop().browser, shop().stack.webUrl);
  const customer = newCustomer('achat-pages-admin');
  try {
    // Her own account: the customers' list then links to a customer's page, whatever ran before.
    await register(shopper.page, customer);
    await addProductToCart(shopper.page, { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 1 });
    await shopper.page.goto('/commande');
    await fillCheckout(shopper.page, customer);
    // Once the payment methods are loaded: the test provider pays at once.
    await shopper.page.locator('input[name="moyen-de-paiement"][value="test"]').check();
    await shopper.page.getByRole('button', { name: 'Payer' }).click();
    await shopper.page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
  } finally {
    await shopper.context.close();
  }
}

/** Accessibility: axe-core audits (storefront and every back office page) and a keyboard-only purchase. */
export function accessibilityJourneys(shop: ShopRef): void {
  describe('accessibilité', () => {
    it('axe-core ne trouve aucune violation grave ou critique sur l’accueil, un listing, une fiche produit, le panier et la commande', async () => {
      const { page, context, errors } = await openShop(shop().browser, shop().stack.webUrl);
      try {
        // Best effort: with an article in the cart, the cart and checkout forms are audited too.
        await page.goto(PRODUCT);
        await page.getByRole('button', { name: 'Ajouter au panier' }).click();
        await page.locator('.buy-box__status p').waitFor({ timeout: 5_000 }).catch(() => undefined);

        const report: string[] = [];
        for (const path of ['/', '/categorie/bijoux', PRODUCT, '/panier', '/commande']) {
          await page.goto(path);
          // Client pages render after their data: wait until nothing says "Chargement".
          await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Chargement'), null, { timeout: 10_000 });
          const violations = await seriousViolations(page);
          if (violations.length > 0) report.push(`${path}\n${describeViolations(violations)}`);
        }
        expect(report.join('\n\n')).toBe('');
        // No uncaught exception nor hydration error on any of these pages.
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('chaque page de l’administration (lue dans apps/web/app/admin) : aucune violation axe grave ou critique, rien ne déborde à 390 px', async () => {
      const routes = await pageRoutes('admin');
      expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(['/admin', '/admin/connexion', '/admin/produits/[id]', '/admin/commandes/[id]']));
      // Real ids for the dynamic pages: an order paid now and a product with two images, first in their lists.
      await placePaidOrder(shop);
      const owner = await createOwner(shop);
      const { page, context, errors } = await openShop(shop().browser, shop().stack.webUrl, { viewport: { width: 390, height: 844 } });
      const report: string[] = [];
      const audit = async (where: string) => {
        const problems = await pageProblems(page);
        if (problems.length > 0) report.push(`${where}\n${problems.join('\n')}`);
      };
      try {
        await page.goto('/admin/connexion');
        await audit('/admin/connexion (déconnectée)');
        await signInOwner(page, owner);
        await page.goto('/admin/produits');
        await page.getByLabel('Titre').fill('Barrette Lune de miel');
        await page.getByRole('button', { name: /Créer le produit/ }).click();
        await page.getByRole('heading', { name: 'Barrette Lune de miel' }).waitFor();
        await page.locator('#champ-images').setInputFiles([
          { name: 'face.png', mimeType: 'image/png', buffer: PIXEL },
          { name: 'dos.png', mimeType: 'image/png', buffer: PIXEL },
        ]);
        await page.getByRole('button', { name: 'Descendre l’image 2' }).waitFor();

        // Static pages first: their links give the dynamic pages a real id (newest first in every list).
        const links: string[] = [];
        for (const { route } of routes.filter((r) => !r.isDynamic)) {
          await page.goto(route);
          await audit(route);
          links.push(...(await page.locator('main a[href^="/admin/"]').evaluateAll((anchors) => anchors.map((a) => new URL((a as HTMLAnchorElement).href).pathname))));
        }
        for (const { route } of routes.filter((r) => r.isDynamic)) {
          const path = links.find((link) => matchesRoute(route, link));
          if (!path) {
            report.push(`${route}\naucun lien vers cette page depuis les pages de l’administration : impossible de lui trouver un identifiant réel`);
            continue;
          }
          await page.goto(path);
          await audit(`${route} (${path})`);
        }
        expect(report.join('\n\n')).toBe('');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);

    it('au clavier seulement : choisir une variante, une quantité et ajouter au panier, avec un focus toujours visible', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      try {
        await page.goto(PRODUCT);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
        expect(await focusIsVisible(page)).toBe(true);

        await tabTo(page, 'input[name="variante"]');
        expect(await focusIsVisible(page)).toBe(true);
        // Arrow keys move within the radio group, as in any native form.
        await page.keyboard.press('ArrowRight');
        expect(await page.getByRole('radio', { name: 'Bordeaux' }).isChecked()).toBe(true);

        await tabTo(page, '#quantite');
        expect(await focusIsVisible(page)).toBe(true);
        await page.keyboard.press('Control+A');
        await page.keyboard.type('2');

        await tabTo(page, 'button[type="submit"]:not(.search-form__button)');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ajouter au panier');
        expect(await focusIsVisible(page)).toBe(true);
        await page.keyboard.press('Enter');
        await page.getByText('Ajouté au panier : 2 × Chouchou en velours rose poudré (Bordeaux).').waitFor();
        await expectCartCount(page, 2);
      } finally {
        await context.close();
      }
    });
  });
}
