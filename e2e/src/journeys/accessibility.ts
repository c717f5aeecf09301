import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from '../harness/axe.js';
import { openShop } from '../harness/browser.js';
import { expectCartCount, type ShopRef } from './shop.js';

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

/** Accessibility: axe-core audits and a keyboard-only purchase. */
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
