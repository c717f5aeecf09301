import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, startRedisServer, TEST_SELLER, type TestDbEnv } from '@girlycrea/testkit';
import { startStripeStandIn, type StripeStandIn } from '@girlycrea/testkit/stripe';
import pg from 'pg';
import { apiService, buildWeb, createAdmin, webService, type Service } from './processes.js';

/** The running shop: a real API on its own database and Redis, and a production Next build. */
export interface Stack {
  /** The storefront's origin, e.g. http://127.0.0.1:41234 — the only one the browser talks to. */
  webUrl: string;
  api: Service;
  web: Service;
  /** Where the API writes e-mails as .eml files (no SMTP_URL in tests). */
  mailDir: string;
  /** The Stripe stand-in the API talks to; its hosted page is where the browser pays. */
  stripe: StripeStandIn;
  /** Runs SQL on the test database (set-up only: tests go through the browser). */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** The API's private Redis (its sessions, carts and cached catalog answers). */
  redisUrl: string;
  /** `npm run admin:create` against this stack, the password on stdin: how the owner's account is made. */
  createAdmin(account: { email: string; name: string; password: string }): Promise<void>;
  close(): Promise<void>;
}

/** Products the journeys buy: their variants get plenty of stock, so the seed's random stock cannot fail a run. */
export const STOCKED_PRODUCTS = ['bracelet-perles-dorees', 'chouchou-en-velours-rose-poudre', 'bougie-parfumee-a-la-cire-de-soja', 'barrette-perlee-nacree'];

/** Starts everything once per run: database clone, private Redis, API, `next build`, `next start`. */
export async function startStack(testDb: TestDbEnv): Promise<Stack> {
  const [database, redis, dataDir, apiPort, webPort, metricsPort, stripe] = await Promise.all([
    createTestDatabase(testDb),
    // A private Redis: the API's rate limits and caches start empty every run.
    startRedisServer(),
    mkdtemp(join(tmpdir(), 'gc-e2e-')),
    freePort(),
    freePort(),
    freePort(),
    startStripeStandIn(),
  ]);
  const stripeWebhookSecret = 'whsec_e2e_girlycrea';
  const db = new pg.Pool({ connectionString: database.directUrl, max: 2 });
  await db.query(
    `UPDATE variants v SET stock = 50 FROM products p WHERE p.id = v.product_id AND p.slug = ANY($1::text[])`,
    [STOCKED_PRODUCTS],
  );

  const webUrl = `http://127.0.0.1:${webPort}`;
  // The API tells the storefront which pages to re-render when the catalog changes.
  const revalidateSecret = randomBytes(16).toString('hex');
  const apiOrigin = `http://127.0.0.1:${apiPort}`;
  stripe.setWebhook(`${apiOrigin}/api/payments/stripe/webhook`, stripeWebhookSecret);
  const api = apiService({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.pooledUrl,
    DATABASE_DIRECT_URL: database.directUrl,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    SHOP_URL: webUrl,
    SHUTDOWN_TIMEOUT_MS: '2000',
    // Its own metrics port: the default (9464) may be taken by another suite's API.
    METRICS_PORT: String(metricsPort),
    // Both providers: the journeys pay with the test provider, and with Stripe through the stand-in's hosted page.
    STRIPE_SECRET_KEY: 'sk_test_e2e_girlycrea',
    STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
    STRIPE_API_BASE: stripe.url,
    // Every journey's browser is 127.0.0.1: per-IP order caps sized for the whole suite, not one shopper.
    LIMIT_UNPAID_ORDERS_PER_IP: '100',
    LIMIT_HELD_UNITS_PER_IP: '1000',
    STOREFRONT_INTERNAL_URL: webUrl,
    REVALIDATE_SECRET: revalidateSecret,
    // Unpaid orders past their deadline are released within a second (the freshness journey waits for one).
    EXPIRE_ORDERS_INTERVAL_MS: '1000',
    // The back office: the invoices' seller and uploaded images.
    SELLER_NAME: 'GirlyCrea SAS',
    SELLER_ADDRESS: '5 rue des Artisans, 69003 Lyon, France',
    SELLER_SIRET: '12345678900012',
    SELLER_VAT_NUMBER: 'FR12123456789',
    UPLOADS_DIR: join(dataDir, 'uploads'),
  });
  const webEnv = { API_ORIGIN: apiOrigin, NEXT_DIST_DIR: '.next/e2e', SITE_URL: webUrl, REVALIDATE_SECRET: revalidateSecret, ...TEST_SELLER };
  const web = webService(webPort, webEnv);

  const stopAll = async () => {
    await Promise.allSettled([web.stop(), api.stop()]);
    await Promise.allSettled([db.end(), redis.stop(), stripe.close(), database.drop(), rm(dataDir, { recursive: true, force: true })]);
  };
  try {
    // The API comes up while Next builds; pages prerendered at build time then get real categories.
    await Promise.all([api.start(), buildWeb(webEnv)]);
    await web.start();
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { webUrl, api, web, mailDir: join(dataDir, 'mail'), stripe, sql: (text, params) => db.query(text, params), redisUrl: redis.url, close: stopAll,
    createAdmin: (account) => createAdmin(account, { DATABASE_DIRECT_URL: database.directUrl, REDIS_URL: redis.url }),
  };
}
