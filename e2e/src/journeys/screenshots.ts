import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { createOwner, signInOwner } from './admin.js';
import { fillCheckout, type ShopRef } from './shop.js';

/** Ignored by git (see .gitignore). */
const OUT = fileURLToPath(new URL('../../../screenshots/', import.meta.url));
/** Committed: the back office pictures of the README's owner's guide ("Gérer la boutique"). */
const GUIDE_OUT = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const WIDTHS = [390, 1280];

/**
 * `npm run screenshots`: home, category, product (two variants), cart, checkout (home delivery, relay
 * picker) and confirmation, then the back office, at phone and desktop widths. The back office's
 * first screens also go to docs/screenshots/ for the README, from the seeded catalog and a fixed viewport.
 */
export function screenshotJourneys(shop: ShopRef, enabled: boolean): void {
  describe.runIf(enabled)('captures d’écran', () => {
    for (const width of WIDTHS) {
      // Two dozen full-page captures and a checkout: longer than a journey (180 s).
      it(`captures à ${width} px`, async () => {
        await Promise.all([mkdir(OUT, { recursive: true }), mkdir(GUIDE_OUT, { recursive: true })]);
        const { page, context } = await openShop(shop().browser, shop().stack.webUrl, { viewport: { width, height: width < 600 ? 844 : 900 } });
        const shot = async (name: string) => {
          // Client pages fill in after their data; lazy images load as the page scrolls.
          await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Chargement'), null, { timeout: 10_000 });
          await page.evaluate(() => Promise.all(Array.from(document.images, (img) => ((img.loading = 'eager'), img.decode().catch(() => undefined)))));
          await page.screenshot({ path: `${OUT}${name}-${width}.png`, fullPage: true });
          // What a visitor sees first, easier to review than a long page.
          await page.screenshot({ path: `${OUT}${name}-${width}-ecran.png` });
          // The owner's guide shows the top of each back office page: committed, so kept small (a 256-colour palette).
          if (name.startsWith('admin-')) {
            await page.evaluate(() => window.scrollTo(0, 0));
            const png = await sharp(await page.screenshot()).png({ palette: true, compressionLevel: 9 }).toBuffer();
            await writeFile(`${GUIDE_OUT}${name}-${width}.png`, png);
          }
        };
        try {
          await page.goto('/');
          await shot('accueil');
          await page.goto('/categorie/bijoux');
          await shot('listing');
          // A product in two variants in turn: the pictures follow the colour chosen.
          await page.goto('/produits/bracelet-perles-dorees');
          await page.getByRole('radio', { name: 'Doré' }).check();
          await shot('produit-dore');
          await page.getByRole('radio', { name: 'Rose' }).check();
          await page.waitForFunction(() => document.querySelector('.gallery__main img')?.getAttribute('src')?.includes('-rose-'));
          await shot('produit-rose');
          await page.getByRole('button', { name: 'Ajouter au panier' }).click();
          await page.locator('.buy-box__status p').waitFor({ timeout: 5_000 }).catch(() => undefined);
          await page.goto('/panier');
          await shot('panier');
          await page.goto('/commande');
          await fillCheckout(page, { email: 'camille@exemple.fr', name: 'Camille Martin' }).catch(() => undefined);
          await shot('commande');
          // The relay-point picker, then back to home delivery for the payment.
          await page.getByRole('radio', { name: /Mondial Relay/ }).check();
          await page.getByText(/points relais près de/).waitFor();
          await shot('commande-point-relais');
          await page.getByRole('radio', { name: /Colissimo/ }).check();
          if (await page.getByRole('button', { name: 'Payer' }).isVisible()) {
            await page.getByRole('button', { name: 'Payer' }).click();
            await page.getByRole('heading', { name: /Merci/ }).waitFor();
            await shot('confirmation');
          }
          await page.goto('/compte/connexion');
          await shot('connexion');

          // The back office, for the owner's guide in the README ("Gérer la boutique").
          await page.goto('/admin/connexion');
          await shot('admin-connexion');
          await signInOwner(page, await createOwner(shop));
          await shot('admin-tableau-de-bord');
          await page.goto('/admin/commandes');
          await page.getByRole('heading', { name: 'Commandes' }).waitFor();
          await shot('admin-commandes');
          const order = page.locator('.admin-table a').first();
          if (await order.isVisible()) {
            await order.click();
            await page.getByRole('heading', { name: /^Commande / }).waitFor();
            await shot('admin-commande');
            // One write, so the journal has something to show.
            await page.getByRole('button', { name: 'Passer en préparation' }).click();
            await page.getByText('Commande en préparation.').waitFor();
          }
          await page.goto('/admin/produits');
          await shot('admin-produits');
          // A seeded product: the same one every run.
          await page.getByRole('link', { name: 'Bracelet perles dorées' }).click();
          await page.getByRole('heading', { name: 'Bracelet perles dorées' }).waitFor();
          await shot('admin-produit');
          const lists: [page: string, heading: string][] = [['clientes', 'Clientes'], ['codes-promo', 'Codes promo'], ['livraison', 'Modes de livraison']];
          for (const [name, heading] of lists) {
            await page.goto(`/admin/${name}`);
            await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
            await shot(`admin-${name}`);
          }
          await page.goto('/admin/journal');
          await shot('admin-journal');
        } finally {
          await context.close();
        }
      }, 180_000);
    }
  });
}
