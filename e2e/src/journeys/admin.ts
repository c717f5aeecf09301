import { readFile } from 'node:fs/promises';
import { listCapturedMail } from '@girlycrea/mailer';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { describeViolations, horizontalOverflow, seriousViolations } from '../harness/axe.js';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { waitForMail } from '../harness/mail.js';
import { register } from './accounts.js';
import { addProductToCart, fillCheckout, type ShopRef } from './shop.js';

/** A valid 1×1 PNG: the API decodes it and writes the WebP/AVIF sizes. */
export const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** An owner account, made as a developer makes it: `npm run admin:create`. */
export async function createOwner(shop: ShopRef): Promise<{ email: string; password: string }> {
  const owner = newCustomer('proprietaire');
  await shop().stack.createAdmin(owner);
  return owner;
}

/** Signs the owner in; at the first sign-in she sets up her authenticator app (the secret shown on the page). */
export async function signInOwner(page: Page, owner: { email: string; password: string }): Promise<void> {
  await page.goto('/admin/connexion');
  await page.getByLabel('E-mail').fill(owner.email);
  await page.getByLabel('Mot de passe').fill(owner.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const secret = (await page.getByTestId('cle-totp').textContent())!.trim();
  await page.getByLabel('Code à 6 chiffres de l’application').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByTestId('codes-de-secours').waitFor();
  expect(await page.getByTestId('codes-de-secours').locator('li').count()).toBe(10);
  await page.getByRole('button', { name: /J’ai noté mes codes/ }).click();
  await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
}

/** Waits for the page's data, then: no serious or critical axe violation, nothing wider than the screen. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Chargement'), null, { timeout: 10_000 });
  const violations = await seriousViolations(page);
  expect(violations, `${where}\n${describeViolations(violations)}`).toEqual([]);
  expect(await horizontalOverflow(page), `${where} déborde à ${page.viewportSize()?.width} px`).toEqual([]);
}

/** The owner runs the shop from her browser (issue 19). */
export function adminJourneys(shop: ShopRef): void {
  describe('administration', () => {
    it('la propriétaire se connecte avec la double authentification, crée un produit à deux variantes avec image, visible aussitôt sur la boutique', async () => {
      const { stack, browser } = shop();
      const owner = await createOwner(shop);
      const { page, context } = await openShop(browser, stack.webUrl, { viewport: { width: 390, height: 844 } });
      try {
        await signInOwner(page, owner);
        await expectAccessible(page, '/admin');
        await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Produits' }).click();
        await page.getByLabel('Titre').fill('Collier Rosée du matin');
        await page.getByRole('button', { name: /Créer le produit/ }).click();
        await page.getByRole('heading', { name: 'Collier Rosée du matin' }).waitFor();
        await expectAccessible(page, 'fiche produit (admin)');
        for (const [size, price] of [['S', '24,90'], ['M', '26,90']] as const) {
          await page.getByLabel('Nom de la variante').fill(`Taille ${size}`);
          await page.getByLabel('Référence (SKU)').fill(`GC-ROSEE-${size}`);
          await page.getByLabel(/^Taille/).fill(size);
          await page.getByLabel('Prix TTC en euros').fill(price);
          await page.getByLabel('Stock', { exact: true }).fill('5');
          await page.getByRole('button', { name: 'Ajouter la variante' }).click();
          await page.getByRole('cell', { name: new RegExp(`GC-ROSEE-${size}`) }).waitFor();
        }
        await page.getByLabel('Texte alternatif (décrit l’image)').fill('Collier Rosée porté');
        await page.locator('#champ-images').setInputFiles({ name: 'rosee.png', mimeType: 'image/png', buffer: PIXEL });
        await page.getByRole('img', { name: 'Collier Rosée porté' }).waitFor();
        await page.getByLabel('Texte alternatif (décrit l’image)').fill('Collier Rosée, le fermoir');
        await page.locator('#champ-images').setInputFiles({ name: 'fermoir.png', mimeType: 'image/png', buffer: PIXEL });
        await page.getByRole('img', { name: 'Collier Rosée, le fermoir' }).waitFor();
        // By keyboard: the clasp goes first, and the focus follows the picture it moved.
        await page.getByRole('button', { name: 'Monter l’image 2' }).focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('.admin-image img').first().getAttribute('alt')).toBe('Collier Rosée, le fermoir');
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Descendre l’image 1');
        await page.getByRole('status').filter({ hasText: 'placée en position 1 sur 2' }).waitFor({ state: 'attached' });
        await page.getByLabel('Texte alternatif de l’image 2').fill('Collier Rosée porté au cou');
        await page.locator('.admin-image').nth(1).getByRole('button', { name: 'Enregistrer le texte' }).click();
        await page.getByRole('img', { name: 'Collier Rosée porté au cou' }).waitFor();
        await page.getByRole('button', { name: 'Mettre en ligne' }).click();
        await page.getByText('Produit : En ligne.').waitFor();

        const started = Date.now();
        await expect
          .poll(async () => (await page.goto('/produits/collier-rosee-du-matin'))?.status(), { timeout: 10_000, interval: 500 })
          .toBe(200);
        await page.getByRole('heading', { name: 'Collier Rosée du matin' }).waitFor();
        expect(Date.now() - started).toBeLessThan(10_000);
        // The pictures in the order she chose, with her words.
        expect(await page.locator('.gallery__main img').getAttribute('alt')).toBe('Collier Rosée, le fermoir');
        expect(await page.locator('.gallery__thumbs li').count()).toBe(2);
        // Both variants are offered on the public page.
        expect(await page.locator('input[name="variante"]').count()).toBe(2);
      } finally {
        await context.close();
      }
    });

    it('elle expédie une commande avec un numéro de suivi (e-mail « expédiée »), rembourse la moitié, télécharge la facture et l’export CSV ; le journal garde tout', async () => {
      const { stack, browser } = shop();
      const owner = await createOwner(shop);
      const buyer = newCustomer('achat-admin');
      const shopper = await openShop(browser, stack.webUrl);
      let number: string;
      try {
        await addProductToCart(shopper.page, { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 2 });
        await shopper.page.goto('/commande');
        await fillCheckout(shopper.page, buyer);
        await shopper.page.locator('input[name="moyen-de-paiement"][value="test"]').check();
        await shopper.page.getByRole('button', { name: 'Payer' }).click();
        await shopper.page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
        number = /n°\s*(\S+)/.exec((await shopper.page.getByRole('heading', { name: /Merci/ }).textContent()) ?? '')![1]!;
      } finally {
        await shopper.context.close();
      }

      const { page, context } = await openShop(browser, stack.webUrl, { acceptDownloads: true });
      try {
        await signInOwner(page, owner);
        await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Commandes' }).click();
        await page.getByLabel('Recherche', { exact: true }).fill(number);
        await page.getByRole('button', { name: 'Filtrer' }).click();
        await page.getByRole('link', { name: number }).click();
        await page.getByRole('heading', { name: `Commande ${number}` }).waitFor();
        await expectAccessible(page, 'commande (admin)');

        await page.getByLabel('Numéro de suivi').fill('6A12345678901');
        await page.getByRole('button', { name: 'Marquer expédiée' }).click();
        await page.getByText(/Commande expédiée : la cliente reçoit/).waitFor();
        const mail = await waitForMail(stack.mailDir, buyer.email, /est en route/);
        expect(mail.text).toContain('6A12345678901');

        const total = await stack.sql('SELECT total_cents, vat_cents FROM orders WHERE number = $1', [number]);
        const { total_cents: totalCents, vat_cents: vatCents } = total.rows[0] as { total_cents: number; vat_cents: number };
        const half = Math.floor(totalCents / 2);
        await page.getByLabel('Montant en euros').fill((half / 100).toFixed(2).replace('.', ','));
        await page.getByRole('button', { name: 'Rembourser' }).click();
        await page.getByText('Remboursement enregistré.').waitFor();
        await page.getByText(new RegExp(`remboursé ${(half / 100).toFixed(2).replace('.', ',')}`)).waitFor();
        // The customer is told once, with the amount given back.
        const refundMail = await waitForMail(stack.mailDir, buyer.email, /Remboursement de votre commande/);
        expect(refundMail.text.replace(/[\u202f\u00a0]/g, ' ')).toContain(`Nous venons de vous rembourser ${(half / 100).toFixed(2).replace('.', ',')} €`);
        const refundMails = (await listCapturedMail(stack.mailDir)).filter((m) => m.to.includes(buyer.email) && /Remboursement/.test(m.subject));
        expect(refundMails).toHaveLength(1);

        await page.getByRole('button', { name: 'Émettre la facture' }).click();
        const invoiceLink = page.getByRole('link', { name: /Facture FA-\d{6}/ });
        await invoiceLink.waitFor();
        const invoiceNumber = /FA-\d{6}/.exec((await invoiceLink.textContent())!)![0];
        const [pdf] = await Promise.all([page.waitForEvent('download'), invoiceLink.click()]);
        const text = (await extractText(await getDocumentProxy(new Uint8Array(await readFile((await pdf.path())!))), { mergePages: true })).text.replace(/\s+/g, ' ');
        const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')} €`;
        expect(text).toContain(`Facture n° ${invoiceNumber}`);
        expect(text).toContain(`Commande n° ${number}`);
        expect(text).toContain(`Total TTC : ${euros(totalCents)}`);
        expect(text).toContain(`TVA à 20 % : ${euros(vatCents)}`);

        await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Commandes' }).click();
        const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Exporter en CSV/ }).click()]);
        const rows = (await readFile((await csv.path())!, 'utf8')).split('\r\n').filter((line) => line.startsWith(`${number};`));
        expect(rows.length).toBeGreaterThanOrEqual(2);

        await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Journal' }).click();
        await page.getByRole('heading', { name: 'Journal des modifications' }).waitFor();
        await expectAccessible(page, '/admin/journal');
        for (const action of ['Commande expédiée', 'Remboursement', 'Facture émise']) await page.getByRole('cell', { name: new RegExp(action) }).first().waitFor();
        await page.getByRole('cell', { name: /6A12345678901/ }).first().waitFor();
      } finally {
        await context.close();
      }
      // A shopper's checkout, then the owner's whole round: longer than one shopper's journey.
    }, 120_000);

    it('elle crée un code promo qu’une cliente utilise aussitôt, ajoute puis désactive un mode de livraison, et ouvre la fiche de la cliente (sur téléphone)', async () => {
      const { stack, browser } = shop();
      const owner = await createOwner(shop);
      const buyer = newCustomer('promo-admin');
      const code = `E2E${Date.now().toString(36).toUpperCase()}`;
      const method = `Lettre suivie ${code}`;
      const admin = await openShop(browser, stack.webUrl, { viewport: { width: 390, height: 844 }, acceptDownloads: true });
      const shopper = await openShop(browser, stack.webUrl);
      try {
        const { page } = admin;
        const nav = page.getByRole('navigation', { name: 'Administration' });
        await signInOwner(page, owner);
        await expectAccessible(page, '/admin (tableau de bord)');

        // A code: a percent above 100 is refused in French, then created (typed in lower case, kept upper case).
        await nav.getByRole('link', { name: 'Codes promo' }).click();
        await page.getByLabel('Code', { exact: true }).fill(code.toLowerCase());
        await page.getByLabel('Remise en %').fill('150');
        await page.getByRole('button', { name: 'Créer le code' }).click();
        await page.getByText(/pourcentage va de 1 à 100/).waitFor();
        await page.getByLabel('Remise en %').fill('20');
        await page.getByRole('button', { name: 'Créer le code' }).click();
        await page.getByText(`Code ${code} créé.`).waitFor();
        await page.getByRole('cell', { name: code, exact: true }).waitFor();
        await expectAccessible(page, '/admin/codes-promo');

        // A shipping method, offered at checkout as soon as it is created.
        await nav.getByRole('link', { name: 'Livraison' }).click();
        await page.getByLabel('Nom affiché').fill(method);
        await page.getByLabel('Prix TTC en euros').fill('2,50');
        await page.getByLabel('Ordre d’affichage').fill('99');
        await page.getByRole('button', { name: 'Créer le mode de livraison' }).click();
        await page.getByText(`« ${method} » créé : il est proposé à la commande.`).waitFor();
        await expectAccessible(page, '/admin/livraison');

        const s = shopper.page;
        await register(s, buyer);
        await addProductToCart(s, { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 1 });
        await s.goto('/panier');
        await s.getByLabel('Code de réduction').fill(code.toLowerCase());
        await s.getByRole('button', { name: 'Appliquer' }).click();
        await s.getByText(`Réduction (${code})`).waitFor();
        await s.goto('/commande');
        await s.getByRole('radio', { name: new RegExp(method) }).waitFor();

        // Disabled: gone from the checkout page at its next load.
        await page.getByRole('button', { name: `Désactiver ${method}` }).click();
        await page.getByText(`« ${method} » désactivé : il n’est plus proposé.`).waitFor();
        await s.reload();
        await s.locator('input[name="livraison"]').first().waitFor();
        expect(await s.getByRole('radio', { name: new RegExp(method) }).count()).toBe(0);

        await fillCheckout(s, buyer);
        await s.getByRole('button', { name: 'Payer' }).click();
        await s.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
        const number = /n°\s*(\S+)/.exec((await s.getByRole('heading', { name: /Merci/ }).textContent()) ?? '')![1]!;
        const placed = (await stack.sql('SELECT discount_code, discount_cents FROM orders WHERE number = $1', [number])).rows[0] as { discount_code: string; discount_cents: number };
        expect(placed.discount_code).toBe(code);
        expect(placed.discount_cents).toBeGreaterThan(0);

        // The use is counted in the list.
        await nav.getByRole('link', { name: 'Codes promo' }).click();
        await expect.poll(async () => (await page.getByRole('row', { name: new RegExp(code) }).getByRole('cell').nth(3).textContent())?.trim()).toBe('1');

        // Her page: account, the order; her data as JSON.
        await nav.getByRole('link', { name: 'Clientes' }).click();
        await page.getByLabel('Recherche', { exact: true }).fill(buyer.email);
        await page.getByRole('button', { name: 'Chercher' }).click();
        await page.getByRole('link', { name: buyer.name }).click();
        await page.getByRole('heading', { name: buyer.name }).waitFor();
        await page.getByRole('link', { name: number }).waitFor();
        await expectAccessible(page, 'fiche cliente (admin)');
        const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger ses données/ }).click()]);
        const exported = JSON.parse(await readFile((await json.path())!, 'utf8')) as { customer: { email: string }; orders: { number: string }[] };
        expect(exported.customer.email).toBe(buyer.email);
        expect(exported.orders.map((o) => o.number)).toContain(number);

        await nav.getByRole('link', { name: 'Journal' }).click();
        for (const action of ['Code promo créé', 'Mode de livraison créé', 'Mode de livraison modifié']) await page.getByRole('cell', { name: new RegExp(action) }).first().waitFor();
      } finally {
        await admin.context.close();
        await shopper.context.close();
      }
      // Two people, two pages each way: longer than one shopper's journey.
    }, 120_000);
  });
}
