import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import type { ShopRef } from './shop.js';

/** The storefront when the API is down. */
export function resilienceJourneys(shop: ShopRef): void {
  describe('panne de l’API', () => {
    it('API arrêtée : le catalogue s’affiche depuis les dernières données, sinon un message français, jamais une trace', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      let apiStopped = false;
      try {
        // Seen once while the API is up…
        expect((await page.goto('/categorie/colliers'))?.status()).toBe(200);
        await stack.api.stop();
        apiStopped = true;

        // …still there from the last good data.
        const cached = await page.goto('/categorie/colliers');
        expect(cached?.status()).toBe(200);
        await page.getByRole('heading', { name: 'Colliers' }).waitFor();
        expect(await page.locator('.product-grid > li').count()).toBeGreaterThan(0);

        // Never seen: a friendly French message, no stack trace. The status says "server failure,
        // come back later" (500): product pages are cached once rendered (ISR), an outage page never is.
        const unseen = await page.goto('/produits/sac-banane-en-velours-cotele');
        await page.getByRole('alert').filter({ hasText: 'momentanément indisponible' }).waitFor();
        const body = await page.locator('body').innerText();
        expect(unseen?.status()).toBe(500);
        expect(body).toMatch(/momentanément indisponible/);
        expect(body).not.toMatch(/ECONNREFUSED|at \w+ \(|TypeError|ApiError/);

        // Back up: the outage page was not cached, the product shows at once.
        await stack.api.start();
        apiStopped = false;
        expect((await page.goto('/produits/sac-banane-en-velours-cotele'))?.status()).toBe(200);
        await page.getByRole('heading', { level: 1, name: 'Sac banane en velours côtelé' }).waitFor();
      } finally {
        if (apiStopped) await stack.api.start();
        await context.close();
      }
    });
  });
}
