import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Stack } from '../harness/stack.js';
import { ADDRESS } from '../harness/data.js';

/** What every journey gets: the running stack and one shared browser. */
export interface Shop {
  stack: Stack;
  browser: Browser;
}

/** Journeys receive a getter: the stack only exists once `beforeAll` has run. */
export type ShopRef = () => Shop;

/** The header's cart link ("Panier", then the count once the cart is loaded). */
export const cartLink = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Panier/ });

/** Waits until the header cart link shows `count` articles. */
export async function expectCartCount(page: Page, count: number): Promise<void> {
  await expect.poll(async () => (await page.getByTestId('cart-count').textContent())?.replace(/\D+/g, ''), { timeout: 10_000 }).toBe(String(count));
}

/** Searches from the header, opens the product, picks the variant and quantity, adds to cart. */
export async function addProductToCart(page: Page, input: { search: string; product: string; variant: string; quantity: number }): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Rechercher').fill(input.search);
  await page.getByLabel('Rechercher').press('Enter');
  await page.waitForURL(/\/recherche\?q=/);
  await page.getByRole('link', { name: input.product }).click();
  await page.waitForURL(/\/produits\//);
  await page.getByRole('radio', { name: input.variant }).check();
  await page.getByLabel('Quantité', { exact: true }).fill(String(input.quantity));
  await page.getByRole('button', { name: 'Ajouter au panier' }).click();
  await page.getByText('Ajouté au panier').waitFor();
}

/** Fills the checkout's contact, delivery and phone fields and picks the first shipping method. */
export async function fillCheckout(page: Page, customer: { email?: string; name: string }): Promise<void> {
  if (customer.email !== undefined) await page.getByLabel('E-mail', { exact: true }).fill(customer.email);
  await page.getByLabel('Nom', { exact: true }).fill(customer.name);
  await page.getByLabel('Adresse', { exact: true }).fill(ADDRESS.line1);
  await page.getByLabel('Code postal').fill(ADDRESS.postalCode);
  await page.getByLabel('Ville').fill(ADDRESS.city);
  await page.getByLabel('Téléphone').fill(ADDRESS.phone);
  await page.locator('input[name="livraison"]').first().check();
}

/** Parses every JSON-LD block of the page. */
export async function jsonLd(page: Page): Promise<Record<string, unknown>[]> {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  return blocks.map((text) => JSON.parse(text) as Record<string, unknown>);
}
