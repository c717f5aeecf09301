import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer, createOutboxWorker } from '@girlycrea/mailer';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createTestApp, type TestApp } from '../../testing.js';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(join(tmpdir(), 'gc-mail-'));
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('development mail capture', () => {
  it('an e-mail triggered in dev is written under the capture folder and listed at /api/dev/mail', async () => {
    const app = buildApp({ db: t.db, cache: t.cache, config: { NODE_ENV: 'development' }, devMailDir: dir });
    const agent = supertest.agent(app);
    const csrf = (await agent.get('/api/csrf')).body.token;
    const email = `capture-${Date.now()}@exemple.fr`;
    const registered = await agent
      .post('/api/auth/register')
      .set('X-CSRF-Token', csrf)
      .send({ email, password: 'Ruban-de-satin-2026', name: 'Zoé <script>alert(1)</script>' });
    expect(registered.status).toBe(201);

    // The same worker main.ts runs, with the capture mailer main.ts uses when SMTP_URL is unset.
    const mailer = createMailer({ from: 'GirlyCrea <bonjour@girlycrea.fr>', captureDir: dir });
    const result = await createOutboxWorker({ pool: t.db, mailer }).runOnce();
    expect(result.sent).toBeGreaterThanOrEqual(1);
    expect((await readdir(dir)).some((file) => file.endsWith('.eml'))).toBe(true);

    const list = await agent.get('/api/dev/mail');
    expect(list.status).toBe(200);
    const mine = list.body.items.find((item: { to: string }) => item.to.includes(email));
    expect(mine.subject).toMatch(/Bienvenue/i);
    const one = await agent.get(`/api/dev/mail/${mine.file}`);
    expect(one.status).toBe(200);
    expect(one.body.html).toContain('&lt;script&gt;');
    expect(one.body.html).not.toContain('<script>');
    expect((await agent.get('/api/dev/mail/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);

    // A browser gets a small inbox page and the message itself, tools keep the JSON above.
    const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const inbox = await agent.get('/api/dev/mail').set('Accept', browserAccept);
    expect(inbox.status).toBe(200);
    expect(inbox.headers['content-type']).toMatch(/^text\/html/);
    expect(inbox.text).toContain(`href="/api/dev/mail/${mine.file}"`);
    expect(inbox.text).toContain(email);
    expect(inbox.text).not.toContain('<script>');
    const page = await agent.get(`/api/dev/mail/${mine.file}`).set('Accept', browserAccept);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain('sandbox');
    expect(page.text).toContain('&lt;script&gt;');
  });

  it('is absent outside development', async () => {
    expect((await t.http.get('/api/dev/mail')).status).toBe(404);
  });
});
