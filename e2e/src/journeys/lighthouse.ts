import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditPage,
  categoryScores,
  describeLostAudits,
  foreignRequests,
  launchLighthouseBrowser,
  lostAudits,
  type LighthouseBrowser,
  type LighthouseCategory,
} from '../harness/lighthouse.js';
import type { ShopRef } from './shop.js';

// Performance is measured in bench/ (`npm run lighthouse -w @girlycrea/bench`): on a shared CI machine
// its timings are noise, while these three categories depend on the markup only.
const CATEGORIES: LighthouseCategory[] = ['accessibility', 'best-practices', 'seo'];
const MINIMUM = 0.95;
const PAGES = [
  { name: 'l’accueil', path: '/' },
  { name: 'un listing de catégorie', path: '/categorie/bijoux' },
  { name: 'une fiche produit', path: '/produits/chouchou-en-velours-rose-poudre' },
];

/** Lighthouse, mobile preset: accessibility, best practices and SEO of the production build. */
export function lighthouseJourneys(shop: ShopRef): void {
  describe('Lighthouse (mobile)', () => {
    let browser: LighthouseBrowser | undefined;
    beforeAll(async () => {
      browser = await launchLighthouseBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const page of PAGES) {
      it(`${page.name} obtient au moins ${MINIMUM * 100} en accessibilité, bonnes pratiques et SEO, sans requête hors de la boutique`, { timeout: 120_000 }, async () => {
        if (!browser) throw new Error('le Chromium de Lighthouse n’a pas démarré');
        const lhr = await auditPage(browser, `${shop().stack.webUrl}${page.path}`, CATEGORIES);
        const scores = categoryScores(lhr);
        console.log(`[lighthouse] ${page.path} ${CATEGORIES.map((c) => `${c} ${Math.round((scores[c] ?? 0) * 100)}`).join(' · ')}`);

        const below = CATEGORIES.filter((c) => (scores[c] ?? 0) < MINIMUM);
        // On failure, the audits that cost points in the failing categories, with Lighthouse's titles.
        const why = describeLostAudits(lostAudits(lhr).filter((a) => below.includes(a.category)));
        expect(below.length === 0 ? '' : `${below.map((c) => `${c} ${scores[c]}`).join(', ')} < ${MINIMUM}\n${why}`).toBe('');
        expect(foreignRequests(lhr)).toEqual([]);
      });
    }
  });
}
