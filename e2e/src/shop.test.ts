import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { launchBrowser } from './harness/browser.js';
import { inheritEnv } from './harness/processes.js';
import { startStack, type Stack } from './harness/stack.js';
import { accessibilityJourneys } from './journeys/accessibility.js';
import { accountJourneys } from './journeys/accounts.js';
import { adminJourneys } from './journeys/admin.js';
import { catalogJourneys } from './journeys/catalog.js';
import { checkoutJourneys } from './journeys/checkout.js';
import { freshnessJourneys } from './journeys/freshness.js';
import { formsAndLayoutJourneys } from './journeys/forms-layout.js';
import { deliveryJourneys } from './journeys/delivery.js';
import { lighthouseJourneys } from './journeys/lighthouse.js';
import { resilienceJourneys } from './journeys/resilience.js';
import { screenshotJourneys } from './journeys/screenshots.js';
import { stripeJourneys } from './journeys/stripe.js';
import type { Shop } from './journeys/shop.js';

// One file on purpose: the production build and the processes are started once per run,
// and the journeys share them (each in its own browser context, with its own customer).
const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';

let stack: Stack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  inheritEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin' });
  stack = await startStack(inject('testDb'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const shop = (): Shop => {
  if (!stack || !browser) throw new Error('la boutique n’a pas démarré (voir beforeAll)');
  return { stack, browser };
};

describe('boutique GirlyCrea dans un vrai navigateur', () => {
  if (SCREENSHOTS) {
    screenshotJourneys(shop, true);
    return;
  }
  catalogJourneys(shop);
  freshnessJourneys(shop);
  accountJourneys(shop);
  accessibilityJourneys(shop);
  lighthouseJourneys(shop);
  checkoutJourneys(shop);
  formsAndLayoutJourneys(shop);
  deliveryJourneys(shop);
  stripeJourneys(shop);
  adminJourneys(shop);
  // Last: it stops and restarts the API.
  resilienceJourneys(shop);
});
