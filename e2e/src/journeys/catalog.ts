import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { jsonLd, type ShopRef } from './shop.js';

const PRICE = /\d+,\d{2}\u00a0€/;

/** Server-rendered catalogue: home, search, product page, listings, SEO files, 404. */
export function catalogJourneys(shop: ShopRef): void {
  describe('catalogue', () => {
    it('la page d’accueil présente les nouveautés et les catégories, en français, sans requête vers un autre domaine', async () => {
      const { page, context, foreign } = await openShop(shop().browser, shop().stack.webUrl);
      try {
        const response = await page.goto('/');
        expect(response?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe('fr');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.getByRole('heading', { name: 'Nouveautés' }).waitFor();
        expect(await page.locator('.product-grid > li').count()).toBeGreaterThanOrEqual(4);
        expect(await page.getByRole('navigation', { name: 'Catégories' }).getByRole('link', { name: 'Bijoux' }).count()).toBe(1);
        expect(await page.locator('.product-grid .price').first().textContent()).toMatch(PRICE);
        await page.waitForLoadState('networkidle');
        expect(foreign).toEqual([]);

        // Old links to a category on the home page land on the category page.
        await page.goto('/?category=colliers');
        expect(new URL(page.url()).pathname).toBe('/categorie/colliers');
        await page.getByRole('heading', { level: 1, name: 'Colliers' }).waitFor();
      } finally {
        await context.close();
      }
    });

    it('la recherche mène à la fiche produit : variantes, prix TTC, stock, métadonnées et JSON-LD Product avec offres', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      try {
        await page.goto('/');
        await page.getByLabel('Rechercher').fill('bracelet perles');
        await page.getByLabel('Rechercher').press('Enter');
        await page.waitForURL(/\/recherche\?q=bracelet/);
        await page.getByRole('heading', { name: /Résultats pour/ }).waitFor();
        await page.getByRole('link', { name: 'Bracelet perles dorées' }).click();
        await page.waitForURL(/\/produits\/bracelet-perles-dorees$/);

        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bracelet perles dorées');
        expect(await page.locator('.buy-box .price').first().textContent()).toContain('18,90\u00a0€');
        expect(await page.getByRole('radio').count()).toBe(3);
        await page.getByText('En stock').waitFor();
        expect(await page.title()).toBe('Bracelet perles dorées · GirlyCrea');
        expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toContain('Bracelet perles dorées');
        expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toMatch(/\/produits\/bracelet-perles-dorees$/);

        const product = (await jsonLd(page)).find((block) => block['@type'] === 'Product');
        expect(product).toMatchObject({ name: 'Bracelet perles dorées', brand: { name: 'GirlyCrea' } });
        const offers = product?.offers as { price: string; priceCurrency: string; availability: string }[];
        expect(offers).toHaveLength(3);
        expect(offers[0]).toMatchObject({ price: '18.90', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' });
      } finally {
        await context.close();
      }
    });

    it('un listing de catégorie filtre par sous-catégorie, trie par prix croissant, se pagine et barre les anciens prix', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      try {
        await page.goto('/categorie/bijoux');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bijoux');
        await page.getByLabel('Trier par').selectOption('prix-croissant');
        await page.getByRole('button', { name: 'Trier' }).click();
        await page.waitForURL(/tri=prix-croissant/);
        const prices = (await page.locator('.product-grid .price:not(.price--was)').allTextContents()).map((t) => Number(t.replace(/[^\d,]/g, '').replace(',', '.')));
        expect(prices.length).toBeGreaterThan(1);
        expect([...prices].sort((a, b) => a - b)).toEqual(prices);

        await page.getByRole('link', { name: /Page suivante/ }).click();
        await page.waitForURL(/page=2/);
        await page.getByText(/Page 2 sur \d+/).waitFor();

        await page.getByRole('navigation', { name: 'Filtrer par sous-catégorie' }).getByRole('link', { name: 'Bracelets' }).click();
        await page.waitForURL(/\/categorie\/bracelets$/);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bracelets');
        // "Bracelet cordon tressé lilas": 9,90 € instead of 12,90 €.
        expect(await page.locator('s.price--was').first().textContent()).toMatch(PRICE);
      } finally {
        await context.close();
      }
    });

    it('sitemap.xml et robots.txt sont servis, une page inconnue répond 404 en français', async () => {
      const { webUrl } = shop().stack;
      const sitemap = await fetch(`${webUrl}/sitemap.xml`);
      expect(sitemap.status).toBe(200);
      const xml = await sitemap.text();
      expect(xml).toContain('/produits/bracelet-perles-dorees');
      expect(xml).toContain('/categorie/bijoux');
      expect(xml).toContain('/mentions-legales');
      const robots = await (await fetch(`${webUrl}/robots.txt`)).text();
      expect(robots).toMatch(/Disallow: \/compte/);
      expect(robots).toContain(`Sitemap: ${webUrl}/sitemap.xml`);

      const { page, context } = await openShop(shop().browser, webUrl);
      try {
        const missing = await page.goto('/produits/cette-creation-n-existe-pas');
        expect(missing?.status()).toBe(404);
        await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
        for (const path of ['/cgv', '/mentions-legales', '/confidentialite', '/cookies']) {
          expect((await page.goto(path))?.status()).toBe(200);
        }
      } finally {
        await context.close();
      }
    });
  });
}
