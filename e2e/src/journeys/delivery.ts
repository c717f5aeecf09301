import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { waitForMail } from '../harness/mail.js';
import { register } from './accounts.js';
import { addProductToCart, fillCheckout, type ShopRef } from './shop.js';

const CHOUCHOU = { search: 'chouchou velours', product: 'Chouchou en velours rose poudré', variant: 'Bordeaux', quantity: 1 };

async function pay(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Payer' }).click();
  await page.waitForURL(/\/commande\/confirmation\//, { timeout: 15_000 });
  const number = /n°\s*(\S+)/.exec((await page.getByRole('heading', { name: /Merci/ }).textContent()) ?? '')?.[1];
  expect(number).toMatch(/^GC-\d{6}$/);
  return number!;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const confirmationOf = (number: string) => new RegExp(`^Confirmation de votre commande n° ${escape(number)}$`);
const linkIn = (text: string, path: RegExp) => new RegExp(`https?://[^\\s"<>]+${path.source}`).exec(text)?.[0];

/** Delivery (relay point or home, with the phone) and a guest's orders joining the account she creates. */
export function deliveryJourneys(shop: ShopRef): void {
  describe('livraison et commandes invitées', () => {
    it('point relais : recherche par code postal et choix au clavier, paiement ; le point et ses horaires sur la confirmation, la page de suivi et l’e-mail ; le compte créé depuis la confirmation ne retrouve la commande qu’après le lien de vérification', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const guest = newCustomer('relais');
      try {
        await addProductToCart(page, CHOUCHOU);
        await page.goto('/commande');
        await fillCheckout(page, guest);
        await page.getByRole('radio', { name: /Mondial Relay/ }).check();
        // Without a point the order is refused next to the picker, which gets the focus.
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.getByText('Choisissez un point relais dans la liste.').waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('champ-relayPointId');

        // The address's postal code was searched already; a new search by keyboard (Enter).
        await page.getByText('5 points relais près de 69003.').waitFor();
        const search = page.getByLabel('Code postal du point relais');
        await search.fill('75011');
        await search.press('Enter');
        await page.getByText('5 points relais près de 75011.').waitFor();
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space');
        await page.keyboard.press('ArrowDown');
        const chosen = page.locator('.relay-point--chosen');
        await expect.poll(() => chosen.locator('.relay-point__name').textContent(), { timeout: 10_000 }).toBe('Fleuriste Les Pétales');
        expect(await chosen.locator('.relay-point__address').textContent()).toContain('75011');
        await chosen.getByText('Horaires d’ouverture').click();
        expect(await chosen.locator('.opening-hours').textContent()).toContain('Mardi09:30 – 12:30, 14:00 – 19:00');
        const number = await pay(page);

        const delivery = page.getByRole('region', { name: 'Livraison en point relais' });
        await delivery.getByText('Fleuriste Les Pétales').waitFor();
        expect(await delivery.textContent()).toMatch(/19 place du Marché, 75011 Paris.*Téléphone : \+33 6 12 34 56 78.*Lundifermé.*Mardi09:30 – 12:30, 14:00 – 19:00/);
        // A guest is offered tracking by the order's secret link and an account for her address, not "Mes commandes".
        const signUp = await page.getByRole('link', { name: 'Créer un compte' }).getAttribute('href');
        expect(await page.getByRole('link', { name: 'Mes commandes', exact: true }).count()).toBe(0);
        expect(signUp).toBe(`/compte/inscription?email=${encodeURIComponent(guest.email)}`);

        const mail = await waitForMail(stack.mailDir, guest.email, confirmationOf(number));
        expect(mail.text).toContain('Point relais Mondial Relay :');
        expect(mail.text).toContain('Fleuriste Les Pétales\n19 place du Marché\n75011 Paris\nTéléphone : +33 6 12 34 56 78');
        expect(mail.text).toContain('Lundi : fermé');
        expect(mail.text).toContain('Mardi : 09:30–12:30, 14:00–19:00');

        await page.getByRole('link', { name: `Suivre ma commande n° ${number}` }).click();
        await page.waitForURL(/\/commandes\/[\w-]+\?token=[\w-]{43}$/);
        await page.getByRole('heading', { name: `Commande n° ${number}` }).waitFor();
        expect(await page.getByRole('region', { name: 'Livraison en point relais' }).textContent()).toContain('Fleuriste Les Pétales');

        await page.goto(signUp!);
        await expect.poll(() => page.getByLabel('E-mail', { exact: true }).inputValue(), { timeout: 15_000 }).toBe(guest.email);
        await page.getByLabel('Nom', { exact: true }).fill(guest.name);
        await page.getByLabel('Mot de passe', { exact: true }).fill(guest.password);
        await page.getByRole('button', { name: 'Créer mon compte' }).click();
        await page.waitForURL(/\/compte$/);
        await page.getByText('Confirmez votre adresse e-mail').waitFor();
        await page.getByText('Vous n’avez pas encore passé de commande.').waitFor();

        const welcome = await waitForMail(stack.mailDir, guest.email, /Bienvenue/);
        const verify = linkIn(welcome.text, /\/compte\/verifier-email\?token=[\w-]{43}/);
        expect(verify, welcome.text).toBeDefined();
        await page.goto(new URL(verify!).pathname + new URL(verify!).search);
        await page.getByText('Adresse confirmée').waitFor();
        await page.getByRole('link', { name: 'Mes commandes', exact: true }).click();
        await page.getByRole('link', { name: `Commande n° ${number}` }).click();
        await page.getByRole('region', { name: 'Livraison en point relais' }).getByText('Fleuriste Les Pétales').waitFor();
      } finally {
        await context.close();
      }
    });

    it('à domicile : le téléphone est vérifié (focus sur l’erreur), puis l’adresse et le téléphone figurent sur la confirmation, la commande du compte et l’e-mail', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const customer = newCustomer('domicile');
      try {
        await register(page, customer);
        await addProductToCart(page, CHOUCHOU);
        await page.goto('/commande');
        await expect.poll(() => page.getByLabel('E-mail', { exact: true }).inputValue(), { timeout: 15_000 }).toBe(customer.email);
        await fillCheckout(page, { name: customer.name });
        await page.getByRole('radio', { name: /Colissimo/ }).check();
        await page.getByLabel('Téléphone').fill('12 34');
        await page.getByRole('button', { name: 'Payer' }).click();
        await page.getByText('Indiquez un numéro français, par exemple 06 12 34 56 78.').waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('champ-phone');
        await page.getByLabel('Téléphone').fill('07 98 76 54 32');
        const number = await pay(page);

        const shown = /Colissimo à domicile.*12 rue des Lilas.*69003 Lyon.*Téléphone : \+33 7 98 76 54 32/;
        const delivery = page.getByRole('region', { name: 'Adresse de livraison' });
        await delivery.getByText('12 rue des Lilas').waitFor();
        expect(await delivery.textContent()).toMatch(shown);
        await page.getByRole('link', { name: 'Mes commandes', exact: true }).waitFor();
        expect(await page.getByRole('link', { name: 'Créer un compte' }).count()).toBe(0);

        const mail = await waitForMail(stack.mailDir, customer.email, confirmationOf(number));
        expect(mail.text).toContain(`Adresse de livraison :\n${customer.name}\n12 rue des Lilas\n69003 Lyon\nTéléphone : +33 7 98 76 54 32`);

        await page.getByRole('link', { name: 'Mes commandes', exact: true }).click();
        await page.getByRole('link', { name: `Commande n° ${number}` }).click();
        const onOrderPage = page.getByRole('region', { name: 'Adresse de livraison' });
        await onOrderPage.getByText('12 rue des Lilas').waitFor();
        expect(await onOrderPage.textContent()).toMatch(shown);
      } finally {
        await context.close();
      }
    });
  });
}
