import { uniqueLabel } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';
import { DEFAULT_LOGIN_LIMITS } from './login-throttle.js';
import { sendQueuedPasswordResets } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'Perles-de-nacre-2026';
const WRONG = 'Pas-le-bon-2026';
const uniqueEmail = (label: string) => `${uniqueLabel(label)}@exemple.fr`;
let subnet = 0;
/** A block of client IPs nobody else in this file uses. */
const ips = () => {
  subnet += 1;
  return (host: number) => `10.${subnet}.${Math.floor(host / 250)}.${(host % 250) + 1}`;
};

const login = (ip: string, email: string, password: string, http = t.http) => http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

async function registerFrom(ip: string, email: string): Promise<void> {
  const res = await t.http.post('/api/auth/register').set('X-Forwarded-For', ip).send({ email, password: PASSWORD, name: 'Léa Martin' });
  expect(res.status).toBe(201);
}

describe('login throttling cannot lock a customer out', () => {
  it('strangers guessing her password from many IPs are each throttled, and she still signs in from her usual IP', async () => {
    // Each guess costs one argon2id check: with the default ceiling (100) the attack takes 20 IPs.
    // A ceiling of 20 keeps the same ratio to the per-IP allowance (5) with 4 IPs.
    const limits = { ...DEFAULT_LOGIN_LIMITS, email: { ...DEFAULT_LOGIN_LIMITS.email, ceiling: 20 } };
    const http = supertest(buildApp({ db: t.db, cache: t.cache, loginLimits: limits }));
    const home = ips()(0);
    const attacker = ips();
    const email = uniqueEmail('victime');
    await registerFrom(home, email);
    expect((await login(home, email, PASSWORD, http)).status).toBe(200);

    // The attack: 5 wrong passwords from each IP, enough IPs to reach the per-e-mail ceiling.
    const perIp = limits.emailIp.free;
    const attackers = limits.email.ceiling / perIp;
    for (let i = 0; i < attackers; i += 1) {
      const statuses = [];
      for (let n = 0; n < perIp; n += 1) statuses.push((await login(attacker(i), email, WRONG, http)).status);
      expect(statuses).toEqual(Array(perIp).fill(401));
    }
    // Each attacking IP is throttled on its next guess, with a Retry-After of at most a minute.
    const sixth = await login(attacker(0), email, WRONG, http);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('rate_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Past the ceiling a brand-new IP is refused without a guess...
    const fresh = await login(attacker(attackers), email, PASSWORD, http);
    expect(fresh.status).toBe(429);
    expect(fresh.body.error.message).toMatch(/réinitialisez votre mot de passe/);
    // ...but the owner, from where she signed in before, gets in with her password.
    const owner = await login(home, email, PASSWORD, http);
    expect(owner.status).toBe(200);
    expect(owner.body.user.email).toBe(email);
  }, 60_000);

  it('the default per-e-mail ceiling takes at least nine IPs an hour, each throttled first, to reach', () => {
    const { emailIp, email } = DEFAULT_LOGIN_LIMITS;
    // One IP's guesses in the ceiling's window: the free ones, then one per lock as the locks double.
    let guesses = emailIp.free;
    for (let lock = emailIp.baseLockMs, elapsed = lock; elapsed < email.windowMs; lock = Math.min(lock * 2, emailIp.maxLockMs), elapsed += lock) guesses += 1;
    expect(email.ceiling / guesses).toBeGreaterThan(9);
  });

  it('the lock doubles with each further failure from the same IP and a success clears it', async () => {
    const ip = ips()(0);
    const email = uniqueEmail('recul');
    await registerFrom(ips()(0), email);
    for (let n = 0; n < 5; n += 1) expect((await login(ip, email, WRONG)).status).toBe(401);
    const first = await login(ip, email, PASSWORD);
    expect(first.status).toBe(429);
    expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The minute has passed (the lock expired), and the stranger guesses once more: two minutes now.
    const lock = `login:email-ip:${email}|${ip}:lock`;
    await t.cache.del(lock);
    expect((await login(ip, email, WRONG)).status).toBe(401);
    const second = await login(ip, email, PASSWORD);
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(120);
    await t.cache.del(lock);
    expect((await login(ip, email, PASSWORD)).status).toBe(200);
    // The success forgot this IP's failures: five fresh tries before a lock again.
    for (let n = 0; n < 5; n += 1) expect((await login(ip, email, WRONG)).status).toBe(401);
    expect((await login(ip, email, WRONG)).status).toBe(429);
  });

  it('20 parallel guesses from one IP get at most 5 answers from the password check', async () => {
    const ip = ips()(0);
    const email = uniqueEmail('rafale');
    await registerFrom(ips()(0), email);
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => login(ip, email, WRONG)))).map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('one IP spraying many e-mails is throttled per IP after 20 failures', async () => {
    const ip = ips()(0);
    for (let n = 0; n < DEFAULT_LOGIN_LIMITS.ip.free; n += 1) expect((await login(ip, uniqueEmail('pulverisation'), WRONG)).status).toBe(401);
    const blocked = await login(ip, uniqueEmail('pulverisation'), WRONG);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('the reset path keeps working for the owner while strangers hammer it for her address', async () => {
    const email = uniqueEmail('reinit-assiegee');
    const home = ips()(0);
    await registerFrom(home, email);
    const attacker = ips();
    for (let i = 0; i < 12; i += 1) {
      expect((await t.http.post('/api/auth/password-reset').set('X-Forwarded-For', attacker(i)).send({ email })).status).toBe(202);
    }
    await sendQueuedPasswordResets({ db: t.db, shopUrl: 'http://boutique.test' });
    // Her own request is never refused; the newest e-mail in her inbox holds a working link.
    expect((await t.http.post('/api/auth/password-reset').set('X-Forwarded-For', home).send({ email })).status).toBe(202);
    await sendQueuedPasswordResets({ db: t.db, shopUrl: 'http://boutique.test' });
    const { rows } = await t.db.query(
      "SELECT data->>'resetUrl' AS url FROM email_outbox WHERE to_address = $1 AND template = 'password_reset' ORDER BY created_at DESC",
      [email],
    );
    // The cooldown kept her inbox to one e-mail for the whole burst.
    expect(rows).toHaveLength(1);
    const token = new URL(rows[0].url).searchParams.get('token');
    const confirm = await t.http.post('/api/auth/password-reset/confirm').set('X-Forwarded-For', home).send({ token, password: 'Nouveau-ruban-rose-2026' });
    expect(confirm.status).toBe(204);
    expect((await login(home, email, 'Nouveau-ruban-rose-2026')).status).toBe(200);
  });
});
