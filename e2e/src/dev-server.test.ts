import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@girlycrea/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openShop } from './harness/browser.js';
import { apiService, devWebService, inheritEnv, PATHS, runCommand, type Service } from './harness/processes.js';

// A newcomer's first hour, on a fresh data folder with nothing else running: seed 1,000 products into
// the embedded database, then `next dev` and the dev API, opened at 127.0.0.1 as well as localhost.
let dataDir: string;
let seed: { code: number | null; output: string };
let api: Service | undefined;
let web: Service | undefined;
let browser: Browser | undefined;
let webPort: number;
const DEV_DIST_DIR = '.next/dev-e2e';

beforeAll(async () => {
  inheritEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() });
  dataDir = await mkdtemp(join(tmpdir(), 'gc-dev-'));
  const [apiPort, embeddedPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  webPort = await freePort();
  // No DATABASE_URL, no REDIS_URL: what a fresh clone has.
  const env = { DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(embeddedPort) };
  seed = await runCommand('npm', ['run', '--silent', 'seed', '--', '--products', '1000'], env);
  // SHOP_URL as `npm run dev` has it (localhost), on this run's storefront port: 127.0.0.1 is its loopback twin.
  api = apiService({ ...env, NODE_ENV: 'development', SHOP_URL: `http://localhost:${webPort}`, HOST: '127.0.0.1', PORT: String(apiPort), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' });
  await api.start();
  web = devWebService(webPort, { API_ORIGIN: `http://127.0.0.1:${apiPort}`, NEXT_DIST_DIR: DEV_DIST_DIR, NODE_ENV: 'development' });
  await web.start();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await api?.stop();
  await rm(join(PATHS.web, DEV_DIST_DIR), { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run dev sur un clone neuf', () => {
  it('`npm run seed -- --products 1000` réussit sur la base embarquée et dit laquelle il a utilisée', () => {
    expect(seed.code, seed.output).toBe(0);
    expect(seed.output).toContain('base embarquée PGlite ouverte dans');
    expect(seed.output).toContain('1000 produit(s)');
  });

  it('la boutique de développement sert les 1 000 produits à localhost comme à 127.0.0.1', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const response = await fetch(`http://${host}:${webPort}/api/products?limit=1`);
      expect(response.status, host).toBe(200);
      const body = (await response.json()) as { total?: number };
      expect(body.total, host).toBeGreaterThanOrEqual(1000);
      expect((await fetch(`http://${host}:${webPort}/`)).status, host).toBe(200);
    }
  }, 300_000);

  it('à 127.0.0.1, la page devient interactive : « Ajouter au panier » remplit le panier sans recharger la page', async () => {
    const { page, context, errors } = await openShop(browser!, `http://127.0.0.1:${webPort}`);
    page.setDefaultTimeout(120_000);
    try {
      await page.goto('/recherche?q=bracelet');
      await page.locator('.product-grid a').first().click();
      await page.waitForURL(/\/produits\//);
      let reloaded = false;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) reloaded = true;
      });
      await page.getByRole('button', { name: 'Ajouter au panier' }).click();
      await page.getByText('Ajouté au panier').waitFor();
      expect(reloaded).toBe(false);
      await page.goto('/panier');
      await page.locator('.cart-line').first().waitFor();
      expect(errors.filter((text) => /cross-origin|allowedDevOrigins/i.test(text))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);
});
