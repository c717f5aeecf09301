import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { uniqueLabel } from '@girlycrea/testkit';
import { generate } from 'otplib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing.js';
import { signInAdmin, signInAdminWithoutSecondFactor, totpNow, type AdminBrowser } from '../../testing/admin.js';
import { openBrowser, refreshCsrf, useShopTest, type Browser } from '../../testing/shop.js';

let t: TestApp;
useShopTest((app) => (t = app));

type Layer = Router['stack'][number] & { match(path: string): false | { path: string } };
interface RouteOf {
  method: string;
  path: string;
}

/**
 * Every route the running app would try for a request under /api/admin: the app's stack is walked,
 * descending into each router mounted on a prefix of /api/admin (whatever file registered it), and
 * each route whose full path is under /api/admin is kept. A route added later anywhere lands here.
 */
function adminRoutesOf(stack: Layer[], prefix = ''): RouteOf[] {
  const probe = '/api/admin/sonde';
  return stack.flatMap((layer): RouteOf[] => {
    if (layer.route) {
      const path = `${prefix}${String(layer.route.path)}`;
      if (!path.startsWith('/api/admin/') && path !== '/api/admin') return [];
      const methods = Object.entries((layer.route as unknown as { methods: Record<string, boolean> }).methods).filter(([, on]) => on);
      return methods.map(([method]) => ({ method, path }));
    }
    const inner = (layer.handle as { stack?: Layer[] }).stack;
    const mounted = inner ? layer.match(probe.slice(prefix.length)) : false;
    return mounted ? adminRoutesOf(inner!, `${prefix}${mounted.path}`) : [];
  });
}

// The OpenAPI path ("/api/admin/orders/{id}") of an Express route ("/api/admin/orders/:id").
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const samplePath = (path: string) => path.replace(/:(\w+)/g, () => randomUUID());

function send(browser: Browser | undefined, route: RouteOf) {
  const agent = browser?.agent ?? t.http;
  const request = (agent as unknown as Record<string, (path: string) => ReturnType<typeof t.http.get>>)[route.method]!(samplePath(route.path));
  if (browser) request.set('X-CSRF-Token', browser.csrf);
  return request.set('Idempotency-Key', uniqueLabel('cle')).send({});
}

describe('admin authorisation, route by route (generated from the router)', () => {
  let routes: RouteOf[];
  let documented: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  let customer: Browser;
  let halfAdmin: Browser;
  let admin: AdminBrowser;

  beforeAll(async () => {
    routes = adminRoutesOf((t.app as unknown as { router: { stack: Layer[] } }).router.stack);
    documented = (await t.http.get('/api/openapi.json')).body.paths;
    customer = await openBrowser(t.app);
    const res = await customer.agent
      .post('/api/auth/register')
      .set('X-CSRF-Token', customer.csrf)
      .send({ email: `${uniqueLabel('cliente')}@exemple.fr`, password: 'Perles-de-nacre-2026', name: 'Cliente' });
    expect(res.status).toBe(201);
    customer = await refreshCsrf(customer);
    halfAdmin = await signInAdminWithoutSecondFactor(t);
    admin = await signInAdmin(t);
  });

  it('finds the back office routes, each documented in the OpenAPI document, and nothing documented is missing', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const route of routes) expect(documented[openApiPath(route.path)]?.[route.method], `${route.method} ${route.path} absent de l’OpenAPI`).toBeDefined();
    const inRouter = new Set(routes.map((route) => `${route.method} ${openApiPath(route.path)}`));
    const inDocument = Object.entries(documented)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(inDocument.sort()).toEqual([...inRouter].sort());
  });

  it('anonymous: 401 on every route', async () => {
    for (const route of routes) {
      const res = await send(undefined, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('a customer: 403 on every route', async () => {
    for (const route of routes) {
      const res = await send(customer, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('an admin who has not passed the second factor: 403 second_factor_required on every route', async () => {
    for (const route of routes) {
      const res = await send(halfAdmin, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.body.error.details).toEqual({ reason: 'second_factor_required' });
    }
  });

  it('an admin with the second factor: a status the route documents, never 401/403/5xx, never cached', async () => {
    for (const route of routes) {
      const res = await send(admin, route);
      const allowed = Object.keys(documented[openApiPath(route.path)]![route.method]!.responses).map(Number);
      expect(allowed, `${route.method} ${route.path} → ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('an unknown /api/admin path is gated too (401 anonymous, not 404)', async () => {
    expect((await t.http.get('/api/admin/nulle-part')).status).toBe(401);
    expect((await admin.agent.get('/api/admin/nulle-part')).status).toBe(404);
  });
});

describe('second factor', () => {
  it('first sign-in: setup then enable with a code gives 10 single-use recovery codes and a new session id; a wrong code is 401', async () => {
    const browser = await signInAdminWithoutSecondFactor(t);
    expect((await browser.agent.get('/api/auth/totp/status')).body).toEqual({ enrolled: false, verified: false });
    const setup = await browser.agent.post('/api/auth/totp/setup').set('X-CSRF-Token', browser.csrf);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/GirlyCrea:.+secret=/);
    const wrong = await browser.agent.post('/api/auth/totp/enable').set('X-CSRF-Token', browser.csrf).send({ code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/Code incorrect/);
    const enable = await browser.agent.post('/api/auth/totp/enable').set('X-CSRF-Token', browser.csrf).send({ code: await totpNow(setup.body.secret) });
    expect(enable.status).toBe(200);
    expect(enable.body.recoveryCodes).toHaveLength(10);
    // The old session id is gone: its cookie no longer opens anything.
    expect((await t.http.get('/api/admin/orders').set('Cookie', `sid=${browser.sessionId}`)).status).toBe(401);
    expect((await browser.agent.get('/api/admin/orders')).status).toBe(200);
    expect((await browser.agent.get('/api/auth/totp/status')).body).toEqual({ enrolled: true, verified: true });
    // Set up once: a second setup is refused.
    expect((await browser.agent.post('/api/auth/totp/setup').set('X-CSRF-Token', enable.body.csrfToken)).status).toBe(409);
  });

  it('next sign-in asks for the code; a code is accepted once; a recovery code works once; customers cannot reach it', async () => {
    const first = await signInAdmin(t);
    const again = await openBrowser(t.app);
    const login = await again.agent.post('/api/auth/login').set('X-CSRF-Token', again.csrf).send({ email: first.email, password: 'Boutique-de-perles-2026' });
    expect(login.status).toBe(200);
    const second = await refreshCsrf(again);
    expect((await second.agent.get('/api/auth/totp/status')).body).toEqual({ enrolled: true, verified: false });
    expect((await second.agent.get('/api/admin/orders')).status).toBe(403);
    // The code accepted at enrolment is spent: the same code (same time step) is refused.
    const [{ last_step: step }] = (await t.db.query('SELECT last_step FROM admin_totp t JOIN customers c ON c.id = t.customer_id WHERE c.email = $1', [first.email])).rows;
    const spent = await generate({ secret: first.secret, epoch: Number(step) * 30 });
    const replay = await second.agent.post('/api/auth/totp/verify').set('X-CSRF-Token', second.csrf).send({ code: spent });
    expect(replay.status).toBe(401);
    const recovery = await second.agent.post('/api/auth/totp/verify').set('X-CSRF-Token', second.csrf).send({ recoveryCode: first.recoveryCodes[0] });
    expect(recovery.status).toBe(200);
    expect(recovery.body.recoveryCodesLeft).toBe(9);
    expect((await second.agent.get('/api/admin/orders')).status).toBe(200);

    const third = await openBrowser(t.app);
    await third.agent.post('/api/auth/login').set('X-CSRF-Token', third.csrf).send({ email: first.email, password: 'Boutique-de-perles-2026' });
    const thirdCsrf = await refreshCsrf(third);
    const reused = await thirdCsrf.agent.post('/api/auth/totp/verify').set('X-CSRF-Token', thirdCsrf.csrf).send({ recoveryCode: first.recoveryCodes[0] });
    expect(reused.status).toBe(401);
    const bad = await thirdCsrf.agent.post('/api/auth/totp/verify').set('X-CSRF-Token', thirdCsrf.csrf).send({ code: 'abc' });
    expect(bad.status).toBe(400);

    const shopper = await openBrowser(t.app);
    expect((await shopper.agent.get('/api/auth/totp/status')).status).toBe(401);
  });

  it('the admin session lapses: a marker older than 8 hours no longer opens /api/admin', async () => {
    const admin = await signInAdmin(t);
    const key = `admin-2fa:${admin.sessionId}`;
    const marker = JSON.parse((await t.cache.get(key))!) as { userId: string; verifiedAt: number };
    await t.cache.set(key, JSON.stringify({ ...marker, verifiedAt: Date.now() - 8 * 3_600_000 - 1000 }), 60_000);
    const res = await admin.agent.get('/api/admin/orders');
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ reason: 'second_factor_required' });
  });
});
