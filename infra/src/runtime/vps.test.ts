import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startStripeStandIn, type StripeStandIn } from '@girlycrea/testkit/stripe';
import { CHROMIUM, CHROMIUM_ARGS, CONTEXT } from '@girlycrea/e2e/browser';
import { newCustomer } from '@girlycrea/e2e/data';
import { addProductToCart, cartLink, fillCheckout } from '@girlycrea/e2e/journeys';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requestOver, runShopperLoad, type LoadReport } from './load.js';
import { prepareVps, type CommandResult, type VpsUnderTest } from './testing.js';

// One VPS for the whole file: rendered configs, `npm run deploy` (the build), `npm start` (PM2:
// 2 API workers, the storefront, the worker) and Nginx in front, on loopback ports.
const PRODUCT = 'bracelet-perles-dorees';
let vps: VpsUnderTest;
let stripe: StripeStandIn;
let firstDeploy: CommandResult;
let variantId: string;
let shippingMethodId: string;
let originalChecksum: string;

beforeAll(async () => {
  stripe = await startStripeStandIn();
  vps = await prepareVps(inject('testDb'), {
    STRIPE_SECRET_KEY: 'sk_test_boutique',
    STRIPE_WEBHOOK_SECRET: 'whsec_boutique',
    STRIPE_API_BASE: stripe.url,
  });
  // Stripe posts its webhooks to the API (here straight to its loopback port: Nginx's certificate is self-signed).
  stripe.setWebhook(`http://127.0.0.1:${vps.site.api.port}/api/payments/stripe/webhook`, 'whsec_boutique');
  firstDeploy = await vps.deploy();
  if (firstDeploy.code !== 0) throw new Error(`le premier déploiement a échoué :\n${firstDeploy.output}`);
  await vps.startShop();
  const nginx = await vps.nginxTest();
  if (nginx.code !== 0) throw new Error(`nginx -t :\n${nginx.output}`);
  await vps.startNginx();
  variantId = (await vps.sql('SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1 ORDER BY v.id LIMIT 1', [PRODUCT])).rows[0].id;
  shippingMethodId = (await vps.sql('SELECT id FROM shipping_methods ORDER BY position LIMIT 1')).rows[0].id;
  originalChecksum = (await vps.sql("SELECT checksum FROM schema_migrations WHERE version = '0001'")).rows[0].checksum;
}, 900_000);

afterAll(async () => {
  await vps?.close();
  await stripe?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => requestOver(undefined, vps.target, 'GET', path, headers);

function load(until: Promise<unknown>, minDurationMs: number): Promise<LoadReport> {
  return runShopperLoad({ ...vps.target, productSlug: PRODUCT, variantId, shippingMethodId, paymentProvider: 'stripe', shoppers: 12, until, minDurationMs });
}

/** A load's verdict: what a customer would have noticed, listed. */
function expectNothingNoticed(report: LoadReport): void {
  expect(report.connectionErrors).toEqual([]);
  expect(report.unexpected).toEqual([]);
  expect(report.orders).toBeGreaterThan(0);
}

async function expectCleanNginxLogs(): Promise<void> {
  // The access log is written in batches, at least every second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const errors = await vps.nginxErrorLog();
  expect(errors).not.toMatch(/upstream prematurely closed|connect\(\) failed|no live upstreams/);
  const access = await readFile(join(vps.site.paths.nginxLogs, 'access.log'), 'utf8');
  expect(access).not.toMatch(/"status":(502|503|504),/);
}

describe('the shop on its VPS: Nginx in front of PM2', () => {
  it('the first deploy builds the release and says the shop is not running yet', () => {
    expect(firstDeploy.output).toMatch(/build de la vitrine dans apps\/web\/\.next\/(blue|green)/);
    expect(firstDeploy.output).toContain('la boutique ne tourne pas');
  });

  it('PM2 runs 2 API workers, the storefront and the worker, and /api/health names the release', async () => {
    expect(await vps.apiWorkers()).toHaveLength(2);
    const health = JSON.parse((await get('/api/health')).body) as { status: string; release: string };
    expect(health.status).toBe('ok');
    expect(health.release).toMatch(/^[0-9a-f]{12}(-dirty)?$/);
  });

  it('negotiates HTTP/2 over TLS and refuses TLS 1.0 and 1.1', async () => {
    const session = http2Connect(`https://127.0.0.1:${vps.target.port}`, { servername: vps.target.servername, rejectUnauthorized: false });
    await once(session, 'connect');
    expect(session.alpnProtocol).toBe('h2');
    const stream = session.request({ ':path': '/api/health', ':authority': vps.target.servername });
    const [headers] = (await once(stream, 'response')) as [Record<string, string | number>];
    expect(headers[':status']).toBe(200);
    stream.resume();
    session.close();

    const handshake = (version: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2') =>
      new Promise<string>((resolve) => {
        // The client allows old versions (security level 0): any refusal comes from Nginx.
        const socket = tlsConnect({ host: '127.0.0.1', port: vps.target.port, servername: vps.target.servername, minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false });
        socket.once('secureConnect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error) => resolve(error.message));
      });
    expect(await handshake('TLSv1.2')).toBe('connected');
    expect(await handshake('TLSv1.1')).toMatch(/alert protocol version|unsupported protocol/i);
    expect(await handshake('TLSv1')).toMatch(/alert protocol version|unsupported protocol/i);
  });

  it('sends the security headers once on storefront and API answers', async () => {
    for (const path of ['/', `/produits/${PRODUCT}`, '/panier', '/api/products?limit=2', '/api/health', '/api/nope']) {
      const { headers } = await get(path);
      expect(headers['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
      expect(headers['content-security-policy'], path).toMatch(/^default-src 'self'; script-src 'self' 'unsafe-inline';.*frame-ancestors 'none'/);
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      expect(headers['permissions-policy'], path).toContain('camera=()');
      expect(headers['x-cache-status'], path).toMatch(/^(HIT|MISS|BYPASS|EXPIRED|STALE|UPDATING|NONE)$/);
      expect(headers['x-powered-by'], path).toBeUndefined();
    }
  });

  it('compresses text with gzip, and with brotli when asked', async () => {
    for (const path of ['/', '/api/products?limit=12']) {
      expect((await get(path, { 'accept-encoding': 'gzip' })).headers['content-encoding'], path).toBe('gzip');
      expect((await get(path, { 'accept-encoding': 'br' })).headers['content-encoding'], path).toBe('br');
      expect((await get(path)).headers['content-encoding'], path).toBeUndefined();
    }
  });

  it('serves the second anonymous request for a product page and the product list from the micro-cache', async () => {
    for (const path of [`/produits/${PRODUCT}`, '/api/products?limit=7']) {
      await get(path);
      const second = await get(path);
      expect(second.status, path).toBe(200);
      expect(second.headers['x-cache-status'], path).toBe('HIT');
    }
  });

  it('serves a change from the micro-cache once its TTL has passed (a refreshed entry, not the open file of the old one)', async () => {
    const path = '/api/products?limit=5';
    const titles = async () => (JSON.parse((await get(path)).body) as { items: { title: string }[] }).items.map((item) => item.title);
    const [first] = await titles();
    expect((await get(path)).headers['x-cache-status']).toBe('HIT');
    const renamed = `${first} (nouvelle collection)`;
    await vps.sql('UPDATE products SET title = $1 WHERE title = $2', [renamed, first]);
    try {
      // Stale answers are allowed while one request refreshes the entry in the background.
      await expect.poll(titles, { timeout: (vps.site.nginx.microCacheSeconds + 5) * 1000, interval: 250 }).toContain(renamed);
      expect((await get(path)).headers['x-cache-status']).toBe('HIT');
      expect(await titles()).toContain(renamed);
    } finally {
      await vps.sql('UPDATE products SET title = $1 WHERE title = $2', [first, renamed]);
    }
  });

  it('never serves a cached answer to a session, nor for cart, checkout or account paths', async () => {
    const withSession = { cookie: 'theme=clair; sid=une-session' };
    for (const path of [`/produits/${PRODUCT}`, '/api/products?limit=7']) {
      expect((await get(path, withSession)).headers['x-cache-status'], path).toBe('BYPASS');
    }
    for (const path of ['/api/cart', '/api/csrf', '/api/me', '/panier', '/commande', '/compte', '/compte/commandes']) {
      await get(path);
      expect((await get(path)).headers['x-cache-status'], path).not.toBe('HIT');
    }
  });

  it('answers 404 in JSON for /metrics, /api/dev/mail and /revalidate', async () => {
    for (const path of ['/metrics', '/api/dev/mail', '/revalidate']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body), path).toEqual({ error: { code: 'not_found', message: 'Ressource introuvable.' } });
    }
    const post = await requestOver(undefined, vps.target, 'POST', '/revalidate', { authorization: `Bearer ${vps.secrets.REVALIDATE_SECRET}` });
    expect(post.status).toBe(404);
  });

  it('serves uploads from disk and redirects HTTP to HTTPS except ACME challenges', async () => {
    await writeFile(join(vps.site.paths.uploads, 'photo.txt'), 'image');
    const upload = await get('/uploads/photo.txt');
    expect(upload.status).toBe(200);
    expect(upload.body).toBe('image');

    await mkdir(join(vps.site.paths.acme, '.well-known/acme-challenge'), { recursive: true });
    await writeFile(join(vps.site.paths.acme, '.well-known/acme-challenge/jeton'), 'preuve');
    const plain = (path: string) =>
      new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: vps.site.nginx.httpPort, path, headers: { host: vps.site.domain }, agent: new Agent() }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
        })
          .on('error', reject)
          .end();
      });
    expect(await plain('/panier?x=1')).toMatchObject({ status: 301, location: `https://${vps.site.domain}:${vps.target.port}/panier?x=1` });
    expect(await plain('/.well-known/acme-challenge/jeton')).toMatchObject({ status: 200, body: 'preuve' });
  });

  it('answers a login flood from one address with 429 from Nginx, in the API’s error shape', async () => {
    // Its own address, so the limit it fills concerns no other test.
    const agent = new HttpsAgent({ keepAlive: true, localAddress: '127.0.0.200', rejectUnauthorized: false });
    const answers = [];
    for (let i = 0; i < 25; i += 1) {
      answers.push(await requestOver(agent, vps.target, 'POST', '/api/auth/login', {}, { email: `inconnue-${i}@exemple.fr`, password: 'mauvais-mot-de-passe' }));
    }
    agent.destroy();
    expect(answers[0]!.status).toBe(401);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(5);
    for (const answer of limited) {
      expect(JSON.parse(answer.body).error.code).toBe('rate_limited');
      expect(answer.headers['retry-after']).toBe('60');
      // Answered by Nginx: the API never saw it (it stamps every answer with a request id).
      expect(answer.headers['x-request-id']).toBeUndefined();
    }
  });

  it('a guest buys through Nginx in Chromium without a single CSP violation', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--host-resolver-rules')),
        // Loopback stays reachable: the Stripe stand-in's hosted page is there.
        `--host-resolver-rules=MAP ${vps.site.domain} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      ],
    });
    const baseURL = `https://${vps.site.domain}:${vps.target.port}`;
    const context = await browser.newContext({ ...CONTEXT, baseURL, ignoreHTTPSErrors: true });
    const violations: string[] = [];
    await context.exposeBinding('reportCspViolation', (_source, text: string) => violations.push(text));
    await context.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      await addProductToCart(page, { search: 'bracelet perles', product: 'Bracelet perles dorées', variant: 'Rose', quantity: 1 });
      await cartLink(page).click();
      await page.waitForURL(/\/panier$/);
      await page.getByRole('button', { name: 'Commander' }).click();
      await page.waitForURL(/\/commande$/);
      await fillCheckout(page, newCustomer('nginx'));
      await page.getByRole('button', { name: 'Payer' }).click();
      // Stripe's hosted page (the stand-in's), then back to our confirmation once paid.
      await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/c/pay/`));
      await page.getByRole('button', { name: /^Payer/ }).click();
      await page.waitForURL(/\/commande\/confirmation\//);
      await page.getByRole('heading', { name: /Merci/ }).waitFor();
      await page.getByText('Statut : Payée').waitFor();
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('two deploys, then one whose workers boot 4 s slower, under load: no error, no 502', async () => {
    const before = (await vps.apiWorkers()).map((proc) => proc.pid);
    let deploysDone!: () => void;
    const running = load(new Promise<void>((resolve) => (deploysDone = resolve)), 30_000);
    const first = await vps.deploy();
    const second = await vps.deploy();
    // Every process of the API (and of the worker) sleeps 4 s before it starts.
    await vps.setSecrets({ NODE_OPTIONS: '--import=data:text/javascript,await%20new%20Promise((r)=>setTimeout(r,4000))' });
    const slow = await vps.deploy();
    await vps.setSecrets({ NODE_OPTIONS: undefined });
    deploysDone();
    const report = await running;

    for (const deploy of [first, second, slow]) expect(deploy.code, deploy.output).toBe(0);
    expect(second.output).toContain('vitrine déjà construite pour ce build');
    const after = (await vps.apiWorkers()).map((proc) => proc.pid);
    expect(after).toHaveLength(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    expectNothingNoticed(report);
    await expectCleanNginxLogs();
  }, 600_000);

  it('a deploy whose build fails, and one whose migration fails, exit non-zero and leave the release serving', async () => {
    const before = (await vps.apiWorkers()).map((proc) => proc.pid);
    const release = JSON.parse((await get('/api/health')).body).release as string;
    let deploysDone!: () => void;
    const running = load(new Promise<void>((resolve) => (deploysDone = resolve)), 10_000);

    // A real build failure: the storefront refuses a malformed public address at build time.
    const badBuild = await vps.deploy({ SHOP_URL: 'pas-une-url' });
    await vps.sql("UPDATE schema_migrations SET checksum = 'altere' WHERE version = '0001'");
    const badMigration = await vps.deploy().finally(() =>
      vps.sql("UPDATE schema_migrations SET checksum = $1 WHERE version = '0001'", [originalChecksum]),
    );
    deploysDone();
    const report = await running;

    expect(badBuild.code).not.toBe(0);
    expect(badBuild.output).toContain('échec du build de la vitrine');
    expect(badBuild.output).toContain(`la version en service (${release}) continue de servir`);
    expect(badMigration.code).not.toBe(0);
    expect(badMigration.output).toContain('échec des migrations');
    expect(badMigration.output).toContain('a changé depuis son application');
    expect((await vps.apiWorkers()).map((proc) => proc.pid)).toEqual(before);
    expect(JSON.parse((await get('/api/health')).body).release).toBe(release);
    expectNothingNoticed(report);
    await expectCleanNginxLogs();
  }, 600_000);

  it('SIGTERM to npm start stops every process with exit code 0 and cuts no request in flight', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    // Each request: whether it was sent before the SIGTERM, and how it ended.
    const outcomes: { before: boolean; outcome: string }[] = [];
    let signalled = false;
    const hammer = async () => {
      for (;;) {
        const before = !signalled;
        const outcome = await new Promise<string>((resolve) => {
          httpRequest({ host: '127.0.0.1', port: vps.site.api.port, path: '/api/products?limit=24', agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.statusCode)));
          })
            .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
            .end();
        });
        outcomes.push({ before, outcome });
        if (outcome !== '200') return;
      }
    };
    const clients = Array.from({ length: 8 }, hammer);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    signalled = true;
    const code = await vps.stopShop();
    await Promise.all(clients);
    agent.destroy();

    expect(code).toBe(0);
    const inFlight = outcomes.filter((entry) => entry.before);
    expect(inFlight.length).toBeGreaterThan(50);
    // Every request sent before the signal got its answer; after it, the shop may refuse new ones.
    expect(inFlight.filter((entry) => entry.outcome !== '200')).toEqual([]);
    expect(await vps.apiWorkers()).toEqual([]);
  }, 120_000);
});
