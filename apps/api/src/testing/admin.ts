import { uniqueLabel } from '@girlycrea/testkit';
import { generate } from 'otplib';
import { expect } from 'vitest';
import type { createApp } from '../app.js';
import { hashPassword } from '../modules/accounts/passwords.js';
import { insertCustomer } from '../modules/accounts/repo.js';
import type { TestApp } from '../testing.js';
import { openBrowser, refreshCsrf, type Browser } from './shop.js';

/** A signed-in admin's browser, with the TOTP secret of their authenticator app. */
export interface AdminBrowser extends Browser {
  email: string;
  secret: string;
  recoveryCodes: string[];
}

const PASSWORD = 'Boutique-de-perles-2026';

/** Creates an admin account (as `npm run admin:create` does) and signs it in: a session with role admin, no second factor yet. */
export async function signInAdminWithoutSecondFactor(t: TestApp, app: ReturnType<typeof createApp> = t.app): Promise<Browser & { email: string }> {
  const email = `${uniqueLabel('admin')}@exemple.fr`;
  await insertCustomer(t.db, { email, name: 'Propriétaire', passwordHash: await hashPassword(PASSWORD), role: 'admin' });
  const browser = await openBrowser(app);
  const res = await browser.agent.post('/api/auth/login').set('X-CSRF-Token', browser.csrf).send({ email, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...(await refreshCsrf(browser)), email };
}

/** The code the admin's authenticator app shows now. */
export const totpNow = (secret: string): Promise<string> => generate({ secret });

/** An admin signed in with the second factor set up at this first sign-in (setup, then enable with a code). */
export async function signInAdmin(t: TestApp, app: ReturnType<typeof createApp> = t.app): Promise<AdminBrowser> {
  const browser = await signInAdminWithoutSecondFactor(t, app);
  const setup = await browser.agent.post('/api/auth/totp/setup').set('X-CSRF-Token', browser.csrf);
  expect(setup.status, JSON.stringify(setup.body)).toBe(201);
  const secret = setup.body.secret as string;
  const enable = await browser.agent.post('/api/auth/totp/enable').set('X-CSRF-Token', browser.csrf).send({ code: await totpNow(secret) });
  expect(enable.status, JSON.stringify(enable.body)).toBe(200);
  const sid = ([enable.headers['set-cookie']].flat().filter(Boolean) as string[]).find((c) => c.startsWith('sid='))!;
  return {
    agent: browser.agent,
    csrf: enable.body.csrfToken as string,
    sessionId: sid.split(';')[0]!.slice('sid='.length),
    email: browser.email,
    secret,
    recoveryCodes: enable.body.recoveryCodes as string[],
  };
}
