import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openShop } from '../harness/browser.js';
import { newCustomer } from '../harness/data.js';
import { waitForMail } from '../harness/mail.js';
import type { ShopRef } from './shop.js';

/** Creates an account through the sign-up page; the customer ends on /compte, signed in. */
export async function register(page: Page, customer: { name: string; email: string; password: string }): Promise<void> {
  await page.goto('/compte/inscription');
  await page.getByLabel('Nom', { exact: true }).fill(customer.name);
  await page.getByLabel('E-mail', { exact: true }).fill(customer.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(customer.password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL(/\/compte$/);
  await page.getByText(`Bonjour ${customer.name}`).waitFor();
}

/** Signs in through the sign-in page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Accounts: sign-up, sign-in, sign-out, password reset by e-mail, address book. */
export function accountJourneys(shop: ShopRef): void {
  describe('compte client', () => {
    it('inscription, déconnexion, mauvais mot de passe puis connexion : le compte salue la cliente par son nom', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      const customer = newCustomer('inscription');
      try {
        await register(page, customer);
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL((url) => url.pathname === '/');

        await page.goto('/compte');
        await page.waitForURL(/\/compte\/connexion\?suite=%2Fcompte/);
        await signIn(page, customer.email, 'pas-le-bon-mot-de-passe');
        await page.getByRole('alert').getByText('E-mail ou mot de passe incorrect.').waitFor();

        await signIn(page, customer.email, customer.password);
        await page.waitForURL(/\/compte$/);
        await page.getByText(`Bonjour ${customer.name}`).waitFor();
      } finally {
        await context.close();
      }
    });

    it('mot de passe oublié : le lien reçu par e-mail permet d’en choisir un nouveau puis de se connecter', async () => {
      const { stack, browser } = shop();
      const { page, context } = await openShop(browser, stack.webUrl);
      const customer = newCustomer('oubli');
      try {
        await register(page, customer);
        await context.clearCookies();

        await page.goto('/compte/mot-de-passe-oublie');
        await page.getByLabel('E-mail', { exact: true }).fill(customer.email);
        await page.getByRole('button', { name: 'Recevoir le lien' }).click();
        await page.getByText('Si un compte existe avec cette adresse').waitFor();

        const mail = await waitForMail(stack.mailDir, customer.email, /mot de passe/i);
        const link = /https?:\/\/[^\s"<>]+\/compte\/mot-de-passe\?token=[\w-]+/.exec(mail.text)?.[0];
        expect(link, mail.text).toBeDefined();
        await page.goto(new URL(link!).pathname + new URL(link!).search);
        const newPassword = `${customer.password}-neuf`;
        await page.getByLabel('Nouveau mot de passe').fill(newPassword);
        await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
        await page.getByText('Mot de passe modifié').waitFor();

        await page.getByRole('link', { name: 'Se connecter' }).click();
        await signIn(page, customer.email, newPassword);
        await page.waitForURL(/\/compte$/);
        await page.getByText(`Bonjour ${customer.name}`).waitFor();
      } finally {
        await context.close();
      }
    });

    it('mes adresses : une adresse ajoutée apparaît dans le carnet et peut être supprimée', async () => {
      const { page, context } = await openShop(shop().browser, shop().stack.webUrl);
      const customer = newCustomer('adresses');
      try {
        await register(page, customer);
        await page.getByRole('link', { name: 'Mes adresses' }).click();
        await page.getByText('Aucune adresse pour le moment.').waitFor();
        await page.getByLabel('Nom', { exact: true }).fill(customer.name);
        await page.getByLabel('Adresse', { exact: true }).fill('3 place Bellecour');
        await page.getByLabel('Code postal').fill('69002');
        await page.getByLabel('Ville').fill('Lyon');
        await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
        await page.locator('address').getByText('3 place Bellecour').waitFor();
        await page.getByRole('button', { name: /Supprimer l’adresse 3 place Bellecour/ }).click();
        await page.getByText('Aucune adresse pour le moment.').waitFor();
      } finally {
        await context.close();
      }
    });
  });
}
