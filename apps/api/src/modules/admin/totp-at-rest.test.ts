import { randomBytes } from 'node:crypto';
import { exec, many } from '@girlycrea/db';
import { freePort } from '@girlycrea/testkit';
import { describe, expect, it } from 'vitest';
import { DEV_TOTP_ENCRYPTION_KEY, loadConfig } from '../../config.js';
import { startApiProcess, type TestApp } from '../../testing.js';
import { signInAdmin, totpNow } from '../../testing/admin.js';
import { openBrowser, refreshCsrf, useShopTest } from '../../testing/shop.js';
import { createSecretBox } from './secret-box.js';
import { sealClearSecrets } from './second-factor.js';

let t: TestApp;
useShopTest((app) => (t = app));

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost', REDIS_CACHE_URL: 'redis://localhost:6380' };
const rowOf = async (email: string) =>
  (await many<{ customer_id: string; secret: string | null; secret_encrypted: string | null }>(
    t.db,
    'SELECT t.customer_id, t.secret, t.secret_encrypted FROM admin_totp t JOIN customers c ON c.id = t.customer_id WHERE c.email = $1',
    [email],
  ))[0]!;

describe('TOTP secrets encrypted at rest (TOTP_ENCRYPTION_KEY)', () => {
  it('production refuses to start without the key or with a key that is not 32 bytes, naming it; elsewhere a development key is used', async () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(/TOTP_ENCRYPTION_KEY: requis en production/);
    expect(() => loadConfig({ ...PRODUCTION, TOTP_ENCRYPTION_KEY: 'trop-courte' })).toThrow(/TOTP_ENCRYPTION_KEY: 32 octets aléatoires en base64/);
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ ...PRODUCTION, TOTP_ENCRYPTION_KEY: key }).TOTP_ENCRYPTION_KEY).toBe(key);
    expect(loadConfig({ NODE_ENV: 'development' }).TOTP_ENCRYPTION_KEY).toBe(DEV_TOTP_ENCRYPTION_KEY);

    const api = startApiProcess({ PORT: String(await freePort()), ...PRODUCTION, TOTP_ENCRYPTION_KEY: '' });
    await expect(api.ready).rejects.toThrow(/exited 1/);
    expect(api.output()).toMatch(/TOTP_ENCRYPTION_KEY: requis en production/);
  });

  it('a sealed secret opens with its key and its row only; altered, moved or under another key it does not', () => {
    const box = createSecretBox(DEV_TOTP_ENCRYPTION_KEY);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'admin-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'admin-1')).not.toBe(sealed);
    expect(box.open(sealed, 'admin-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'admin-2')).toThrow(/impossible à ouvrir/);
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${body!.slice(0, -2)}${body!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => box.open([v, iv, tag, flipped].join('.'), 'admin-1')).toThrow(/impossible à ouvrir/);
    expect(() => createSecretBox(randomBytes(32).toString('base64url')).open(sealed, 'admin-1')).toThrow(/TOTP_ENCRYPTION_KEY/);
  });

  it('the secret an admin sets up is stored encrypted, never in clear, and the codes of her app open the back office', async () => {
    const admin = await signInAdmin(t);
    const row = await rowOf(admin.email);
    expect(row.secret).toBeNull();
    expect(row.secret_encrypted).not.toContain(admin.secret);
    expect(createSecretBox(DEV_TOTP_ENCRYPTION_KEY).open(row.secret_encrypted!, row.customer_id)).toBe(admin.secret);
    expect((await admin.agent.get('/api/admin/orders')).status).toBe(200);
  });

  it('a secret stored in clear before migration 0021 is encrypted at its next use (even a wrong code) and at start; the app keeps working', async () => {
    const box = createSecretBox(DEV_TOTP_ENCRYPTION_KEY);
    // Rows as the previous release wrote them.
    const legacy = async () => {
      const admin = await signInAdmin(t);
      const { customer_id: id } = await rowOf(admin.email);
      await exec(t.db, 'UPDATE admin_totp SET secret = $2, secret_encrypted = NULL WHERE customer_id = $1', [id, admin.secret]);
      return { ...admin, id };
    };
    const signInWith = async (email: string, code: string) => {
      const browser = await openBrowser(t.app);
      await browser.agent.post('/api/auth/login').set('X-CSRF-Token', browser.csrf).send({ email, password: 'Boutique-de-perles-2026' });
      const signed = await refreshCsrf(browser);
      return signed.agent.post('/api/auth/totp/verify').set('X-CSRF-Token', signed.csrf).send({ code });
    };

    const first = await legacy();
    expect((await signInWith(first.email, '000000')).status).toBe(401);
    const sealed = await rowOf(first.email);
    expect(sealed.secret).toBeNull();
    expect(box.open(sealed.secret_encrypted!, first.id)).toBe(first.secret);
    // The code of the step spent at enrolment is a replay: the owner signs in on a later day, so to speak.
    await exec(t.db, 'UPDATE admin_totp SET last_step = last_step - 2 WHERE customer_id = $1', [first.id]);
    expect((await signInWith(first.email, await totpNow(first.secret))).status).toBe(200);

    const second = await legacy();
    const third = await legacy();
    expect(await sealClearSecrets(t.db, box)).toBeGreaterThanOrEqual(2);
    for (const admin of [second, third]) {
      const row = await rowOf(admin.email);
      expect(row.secret).toBeNull();
      expect(box.open(row.secret_encrypted!, admin.id)).toBe(admin.secret);
    }
    expect(await sealClearSecrets(t.db, box)).toBe(0);
  });
});
