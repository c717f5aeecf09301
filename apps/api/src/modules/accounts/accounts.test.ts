import { exec } from '@girlycrea/db';
import bcrypt from 'bcryptjs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueLabel } from '@girlycrea/testkit';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { sendQueuedPasswordResets } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

let counter = 0;
const uniqueEmail = (label: string) => `${uniqueLabel(label)}@exemple.fr`;
const PASSWORD = 'Perles-de-nacre-2026';

type Agent = ReturnType<typeof supertest.agent>;

/** A browser-like client: a cookie jar, its own client IP (behind the trusted proxy) and the CSRF token of its session. */
async function browser(app = t.app): Promise<{ agent: Agent; csrf: string }> {
  const agent = supertest.agent(app).set('X-Forwarded-For', `10.1.${counter % 250}.${(counter += 1) % 250}`);
  const res = await agent.get('/api/csrf');
  expect(res.status).toBe(200);
  return { agent, csrf: res.body.token as string };
}

/** Registers through a fresh browser; the returned CSRF token is the new session's (sign-in rotates it). */
async function register(email: string, password = PASSWORD) {
  const b = await browser();
  const res = await b.agent.post('/api/auth/register').set('X-CSRF-Token', b.csrf).send({ email, password, name: 'Léa Martin' });
  const csrf = res.status === 201 ? ((await b.agent.get('/api/csrf')).body.token as string) : b.csrf;
  return { agent: b.agent, csrf, res };
}

const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  ([res.headers['set-cookie']].flat().filter(Boolean) as string[]).find((c) => c.startsWith('sid='));

/** The newest e-mail queued for `to` in the outbox. */
async function lastEmail(to: string): Promise<{ template: string; data: Record<string, unknown> }> {
  const { rows } = await t.db.query('SELECT template, data FROM email_outbox WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1', [to]);
  return rows[0];
}

describe('registration', () => {
  it('creates the account, signs it in and queues the welcome e-mail', async () => {
    const email = uniqueEmail('inscription');
    const { agent, res } = await register(email.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, name: 'Léa Martin', role: 'customer' });
    const me = await agent.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    expect((await lastEmail(email)).template).toBe('welcome');
    const { rows } = await t.db.query('SELECT password_hash FROM customers WHERE email = $1', [email]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses short, common or e-mail-based passwords with details on the password field', async () => {
    for (const password of ['court', 'azertyuiop', 'motdepasse123', 'camille.durand2026']) {
      const { res } = await register('camille.durand@exemple.fr', password);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details[0].path).toBe('password');
    }
  });

  it('two concurrent registrations of one e-mail (any case) give one 201 and one 409', async () => {
    const email = uniqueEmail('double');
    const [a, b] = await Promise.all([register(email), register(email.toUpperCase())]);
    expect([a.res.status, b.res.status].sort()).toEqual([201, 409]);
    expect([a.res, b.res].find((r) => r.status === 409)!.body.error.code).toBe('email_taken');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM customers WHERE email = $1', [email]);
    expect(rows[0].n).toBe(1);
  });

  it('rejects a malformed e-mail with 400 invalid_request', async () => {
    const { res } = await register('pas-un-email');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('email');
  });
});

describe('login', () => {
  it('rotates the session id and sets an HttpOnly, SameSite=Lax cookie', async () => {
    const email = uniqueEmail('rotation');
    await register(email);
    const { agent, csrf } = await browser();
    const guest = await agent.get('/api/csrf');
    const before = sessionCookie(guest) ?? '';
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(cookie.split(';')[0]).not.toBe(before.split(';')[0]);
    // The guest session is gone with its CSRF token: the signed-in session has its own.
    expect((await agent.post('/api/auth/logout').set('X-CSRF-Token', csrf)).status).toBe(403);
    const fresh = (await agent.get('/api/csrf')).body.token;
    expect(fresh).not.toBe(csrf);
    expect((await agent.post('/api/auth/logout').set('X-CSRF-Token', fresh)).status).toBe(204);
  });

  it('answers the same 401 invalid_credentials, in about the same time, for an unknown e-mail and a wrong password', async () => {
    const email = uniqueEmail('enumeration');
    await register(email);
    const timeLogin = async (body: object) => {
      const started = process.hrtime.bigint();
      const res = await t.http.post('/api/auth/login').set('X-Forwarded-For', '10.0.0.1').send(body);
      return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const a = await timeLogin({ email: uniqueEmail('inconnu'), password: 'Mauvais-mot-2026' });
      const b = await timeLogin({ email, password: `Mauvais-mot-${i}` });
      expect(a.res.status).toBe(401);
      expect(b.res.status).toBe(401);
      expect(a.res.body).toEqual(b.res.body);
      expect(a.res.body.error.code).toBe('invalid_credentials');
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(wrong);
    // Both paths run one argon2id verification: without the dummy hash the unknown path is ~20x faster.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('the 6th failed login for one e-mail within a minute is 429 with Retry-After, across two API processes sharing Redis', async () => {
    const email = uniqueEmail('force-brute');
    await register(email);
    // A second app: its own pool, Redis connection and session store; only Redis is shared.
    const sibling = t.sibling();
    const other = sibling.app;
    try {
      const apps = [t.app, other];
      for (let i = 0; i < 5; i += 1) {
        const res = await supertest(apps[i % 2]!).post('/api/auth/login').send({ email, password: 'Pas-le-bon-2026' });
        expect(res.status).toBe(401);
      }
      const blocked = await supertest(other).post('/api/auth/login').send({ email: email.toUpperCase(), password: PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Another e-mail is not affected.
      const fine = await supertest(t.app).post('/api/auth/login').send({ email: uniqueEmail('autre'), password: PASSWORD });
      expect(fine.status).toBe(401);
    } finally {
      await sibling.close();
    }
  });

  it('a bcrypt-hashed customer imported from Supabase can log in and is re-hashed to argon2id', async () => {
    const email = uniqueEmail('supabase');
    await exec(t.db, "INSERT INTO customers (email, name, password_hash) VALUES ($1, 'Import', $2)", [email, bcrypt.hashSync(PASSWORD, 10)]);
    const { agent, csrf } = await browser();
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    const { rows } = await t.db.query('SELECT password_hash FROM customers WHERE email = $1', [email]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const again = await t.http.post('/api/auth/login').send({ email, password: PASSWORD });
    expect(again.status).toBe(200);
  });
});

describe('CSRF', () => {
  it('a cookie-carrying write without, or with a wrong, X-CSRF-Token is 403 csrf_failed', async () => {
    const { agent, csrf } = await browser();
    const missing = await agent.post('/api/auth/logout');
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    const wrong = await agent.post('/api/auth/logout').set('X-CSRF-Token', `${csrf.slice(0, -1)}x`);
    expect(wrong.status).toBe(403);
    expect((await agent.post('/api/auth/logout').set('X-CSRF-Token', csrf)).status).toBe(204);
  });

  it('sends Secure cookies in production', async () => {
    const prod = buildApp({ db: t.db, cache: t.cache, config: { NODE_ENV: 'production' } });
    const res = await supertest(prod).get('/api/csrf');
    expect(sessionCookie(res)).toMatch(/Secure/);
  });
});

describe('sessions', () => {
  it('survive an API restart; logout ends them', async () => {
    const email = uniqueEmail('redemarrage');
    const { res } = await register(email);
    const cookie = sessionCookie(res)!.split(';')[0]!;
    // A brand-new app instance (new connections, nothing in memory) sees the same session.
    const sibling = t.sibling();
    const restarted = sibling.app;
    try {
      const me = await supertest(restarted).get('/api/me').set('Cookie', cookie);
      expect(me.status).toBe(200);
      const csrf = (await supertest(restarted).get('/api/csrf').set('Cookie', cookie)).body.token;
      expect((await supertest(restarted).post('/api/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', csrf)).status).toBe(204);
      const after = await supertest(t.app).get('/api/me').set('Cookie', cookie);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthorized');
    } finally {
      await sibling.close();
    }
  });
});

describe('password reset', () => {
  const runResetJob = () => sendQueuedPasswordResets({ db: t.db, shopUrl: 'http://boutique.test' });
  const postReset = (email: string) => t.http.post('/api/auth/password-reset').send({ email });

  async function requestReset(email: string): Promise<string> {
    // Each test's address is its own, so the per-address cooldown starts fresh; a second request
    // in one test waits it out by dropping the cooldown key.
    await t.cache.del(`reset-cooldown:${email}`);
    const res = await postReset(email);
    expect(res.status).toBe(202);
    await runResetJob();
    const mail = await lastEmail(email);
    expect(mail.template).toBe('password_reset');
    return new URL(mail.data.resetUrl as string).searchParams.get('token')!;
  }
  const confirm = (token: string, password: string) => t.http.post('/api/auth/password-reset/confirm').send({ token, password });

  it('answers 202 whether or not the account exists, queuing the same work; the job e-mails only real accounts', async () => {
    const known = uniqueEmail('connue');
    await register(known);
    const unknown = uniqueEmail('personne');
    const queued = async (email: string) => (await t.db.query('SELECT count(*)::int AS n FROM password_reset_requests WHERE email = $1', [email])).rows[0].n;
    for (const email of [known, unknown]) {
      const res = await postReset(email);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ message: 'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé.' });
      expect(await queued(email)).toBe(1);
    }
    await runResetJob();
    expect(await queued(known)).toBe(0);
    expect(await queued(unknown)).toBe(0);
    expect((await lastEmail(known)).template).toBe('password_reset');
    expect(await lastEmail(unknown)).toBeUndefined();
  });

  it('does the same work for a known and an unknown address: the same statements, none reading the accounts', async () => {
    const known = uniqueEmail('meme-travail');
    await register(known);
    // What the request asks of PostgreSQL, parameters aside: a lookup of the account on one path only
    // would tell a visitor, by the time taken, which addresses have an account (before the queue the
    // known path took 2.4× the unknown one).
    const statements = async (email: string) => {
      const query = vi.spyOn(t.db, 'query');
      const connect = vi.spyOn(t.db, 'connect');
      try {
        // From its own IP each time: the per-IP limit is not what is compared.
        const res = await t.http.post('/api/auth/password-reset').set('X-Forwarded-For', `10.77.0.${counter++ % 250}`).send({ email });
        expect(res.status).toBe(202);
        // pg takes a string or a { text, values } object.
        const sql = query.mock.calls.map(([statement]) => (typeof statement === 'string' ? statement : (statement as { text: string }).text));
        return { sql, connections: connect.mock.calls.length };
      } finally {
        query.mockRestore();
        connect.mockRestore();
      }
    };
    const knownWork = await statements(known);
    const unknownWork = await statements(uniqueEmail('personne-travail'));
    expect(knownWork.sql).toEqual(['INSERT INTO password_reset_requests (email) VALUES ($1)']);
    expect(unknownWork).toEqual(knownWork);
  });

  it('issuing a new link makes every older one stop working', async () => {
    const email = uniqueEmail('deux-liens');
    await register(email);
    const older = await requestReset(email);
    const newer = await requestReset(email);
    expect(newer).not.toBe(older);
    const res = await confirm(older, 'Ancien-lien-rose-2026');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_token');
    expect((await confirm(newer, 'Nouveau-lien-rose-2026')).status).toBe(204);
  });

  it('using a link makes every other outstanding one stop working', async () => {
    const email = uniqueEmail('lien-utilise');
    await register(email);
    const first = await requestReset(email);
    const second = await requestReset(email);
    // Both links alive at once (as two requests racing could leave them): using one revokes the other.
    await exec(t.db, 'UPDATE password_reset_tokens SET used_at = NULL FROM customers c WHERE c.id = customer_id AND c.email = $1', [email]);
    expect((await confirm(second, 'Deuxieme-lien-rose-2026')).status).toBe(204);
    const res = await confirm(first, 'Premier-lien-rose-2026');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('a token works once, is unguessable (256 bits), stored only hashed, and ends every session', async () => {
    const email = uniqueEmail('reinit');
    const first = await register(email);
    const oldCookie = sessionCookie(first.res)!.split(';')[0]!;
    const token = await requestReset(email);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { rows } = await t.db.query('SELECT encode(token_hash, $1) AS h FROM password_reset_tokens', ['escape']);
    expect(rows.some((r: { h: string }) => r.h.includes(token))).toBe(false);

    const newPassword = 'Nouveau-ruban-rose-2026';
    expect((await confirm(token, newPassword)).status).toBe(204);
    const reused = await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'Encore-un-autre-2026' });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('invalid_token');

    expect((await t.http.get('/api/me').set('Cookie', oldCookie)).status).toBe(401);
    expect((await t.http.post('/api/auth/login').send({ email, password: PASSWORD })).status).toBe(401);
    expect((await t.http.post('/api/auth/login').send({ email, password: newPassword })).status).toBe(200);
  });

  it('a token expires after one hour', async () => {
    const email = uniqueEmail('expire');
    await register(email);
    const token = await requestReset(email);
    await exec(t.db, "UPDATE password_reset_tokens SET expires_at = now() - interval '1 second', created_at = now() - interval '1 hour'");
    const res = await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'Trop-tard-pour-2026' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('a weak new password is refused and leaves the token usable', async () => {
    const email = uniqueEmail('faible');
    await register(email);
    const token = await requestReset(email);
    expect((await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'azertyuiop' })).status).toBe(400);
    expect((await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'Bien-meilleur-2026' })).status).toBe(204);
  });
});

describe('addresses', () => {
  it('are private to their owner: another customer gets 404, a guest 401', async () => {
    const alice = await register(uniqueEmail('alice'));
    const bob = await register(uniqueEmail('bob'));
    const address = { name: 'Alice', line1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', isDefault: true };
    const created = await alice.agent.post('/api/me/addresses').set('X-CSRF-Token', alice.csrf).send(address);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...address, country: 'FR' });
    const id = created.body.id as string;

    expect((await bob.agent.patch(`/api/me/addresses/${id}`).set('X-CSRF-Token', bob.csrf).send({ city: 'Paris' })).status).toBe(404);
    expect((await bob.agent.delete(`/api/me/addresses/${id}`).set('X-CSRF-Token', bob.csrf)).status).toBe(404);
    expect((await bob.agent.get('/api/me/addresses')).body.items).toEqual([]);
    expect((await t.http.get('/api/me/addresses')).status).toBe(401);

    const patched = await alice.agent.patch(`/api/me/addresses/${id}`).set('X-CSRF-Token', alice.csrf).send({ city: 'Villeurbanne' });
    expect(patched.body).toMatchObject({ city: 'Villeurbanne', isDefault: true, country: 'FR' });
    const second = await alice.agent.post('/api/me/addresses').set('X-CSRF-Token', alice.csrf).send({ ...address, line1: '3 place Bellecour' });
    const list = (await alice.agent.get('/api/me/addresses')).body.items as { id: string; isDefault: boolean }[];
    expect(list.filter((a) => a.isDefault).map((a) => a.id)).toEqual([second.body.id]);
    expect((await alice.agent.delete(`/api/me/addresses/${id}`).set('X-CSRF-Token', alice.csrf)).status).toBe(204);
  });

  it('validates every field and rejects unknown ids with 400', async () => {
    const alice = await register(uniqueEmail('validation'));
    const bad = await alice.agent.post('/api/me/addresses').set('X-CSRF-Token', alice.csrf).send({ name: '', postalCode: '<script>', country: 'France' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'line1', 'postalCode', 'city', 'country']));
    expect((await alice.agent.patch('/api/me/addresses/pas-un-uuid').set('X-CSRF-Token', alice.csrf).send({ city: 'X' })).status).toBe(400);
  });

  it('follows the checkout’s address rules: what checkout would refuse cannot be saved', async () => {
    const alice = await register(uniqueEmail('regles'));
    const message = { name: 'Service client : appelez le 0612345678', line1: 'Voir https://exemple.test', postalCode: '69003', city: 'Lyon' };
    const refused = await alice.agent.post('/api/me/addresses').set('X-CSRF-Token', alice.csrf).send(message);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'line1']));
    const long = await alice.agent.post('/api/me/addresses').set('X-CSRF-Token', alice.csrf).send({ ...message, name: 'A'.repeat(81), line1: '12 rue des Lilas' });
    expect(long.status).toBe(400);
    expect(long.body.error.details.map((d: { path: string }) => d.path)).toEqual(['name']);
  });
});
