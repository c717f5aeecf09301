import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from '@girlycrea/api/testing';
import { uniqueLabel } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopClient } from './shop-client.js';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** Runs `npm run smoke -- url` as the operator does (the infra CLI through tsx); never throws. */
function runSmoke(url: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=development', CLI, 'smoke', url], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('npm run smoke', () => {
  let shop: TestApp;
  let server: Server;
  let url: string;
  const account = { email: `${uniqueLabel('smoke')}@exemple.fr`, password: 'Verification-Fumee-2026' };

  beforeAll(async () => {
    shop = await createTestApp();
    server = createServer(shop.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createShopClient(url);
    await client.openSession();
    expect((await client.request('POST', '/api/auth/register', { ...account, name: 'Compte de vérification' })).status).toBe(201);
  });

  afterAll(async () => {
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
    await shop?.close();
  });

  it('passes every step against a running shop, places no order and leaves the cart as it was', async () => {
    const { code, output } = await runSmoke(url, { SMOKE_EMAIL: account.email, SMOKE_PASSWORD: account.password });
    expect(output).toContain('✓ santé');
    expect(output).toContain('✓ connexion du compte de test');
    expect(output).toContain('✓ récapitulatif jusqu’au paiement');
    expect(output).toContain('✓ annulation');
    expect(output).toContain('8 étapes réussies');
    expect(code).toBe(0);
    const orders = await shop.db.query('SELECT 1 FROM orders WHERE email = $1', [account.email]);
    expect(orders.rowCount).toBe(0);
    const client = createShopClient(url);
    await client.openSession();
    await client.request('POST', '/api/auth/login', account);
    expect((await client.request('GET', '/api/cart')).body.items).toEqual([]);
  }, 60_000);

  it('fails at the first step, saying the shop does not answer, when the API is down', async () => {
    await new Promise((resolve) => server.close(resolve));
    const { code, output } = await runSmoke(url, {});
    expect(code).toBe(1);
    expect(output).toContain('✗ santé : la boutique ne répond pas');
    expect(output).toContain('ECONNREFUSED');
    expect(output).not.toContain('✓ catalogue');
  }, 60_000);
});
