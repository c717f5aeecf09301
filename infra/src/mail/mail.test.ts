import { generateKeyPairSync } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '@girlycrea/api/testing';
import { addToCart, checkoutBody, openBrowser, postCheckout, variantPicker, type VariantPicker } from '@girlycrea/api/testing/shop';
import { many, one } from '@girlycrea/db';
import { createMailer, createOutboxWorker, type Mailer, type OutboxWorker } from '@girlycrea/mailer';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '@girlycrea/mailer/testing';
import { eventually, type ServiceProcess } from '@girlycrea/testkit';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAll, writeRendered } from '../render.js';
import type { Site } from '../site.js';
import { testSite } from '../testing.js';
import { ensureDkimKey } from './dkim-key.js';
import { bounceAddress, dkimRecordName } from './files.js';
import { bundleBounceHandler, mailTempDir, opendkimInstance, postfixInstance, type PostfixInstance } from './testing.js';

// The VPS's mail path for real: the shop's API -> outbox worker -> Postfix (rendered main.cf and
// master.cf, its own queue) -> OpenDKIM milter -> relayhost, here an SMTP sink standing in for the
// receivers. Bounces come back as Postfix's own DSNs, piped to the shop's bounce handler.

let dir: string;
let site: Site;
let sink: SmtpSink;
let postfix: PostfixInstance;
let opendkim: ServiceProcess;
let app: TestApp;
let pick: VariantPicker;
let mailer: Mailer;
let worker: OutboxWorker;
let publicKey: string;

beforeAll(async () => {
  dir = await mailTempDir();
  sink = await startSmtpSink();
  const secrets = join(dir, 'secrets.env');
  app = await createTestApp();
  pick = variantPicker(app.db);
  site = await testSite(dir, {
    // pipe(8) never runs a command as root: the handler runs as nobody.
    system: { user: 'nobody', nginxUser: 'www-data' },
    mail: {
      relayhost: { host: '127.0.0.1', port: sink.port },
      // As on the VPS: node --env-file=<secrets> <compiled handler> (bundled from source, no build step).
      bounceCommand: [process.execPath, `--env-file=${secrets}`, await bundleBounceHandler(dir)],
    },
  });
  await writeFile(secrets, `DATABASE_URL=${app.database.pooledUrl}\n`, { mode: 0o644 });
  await writeRendered(dir, renderAll(site));
  publicKey = (await ensureDkimKey(site)).publicKey;
  opendkim = opendkimInstance(site);
  await opendkim.start();
  postfix = postfixInstance(site);
  await postfix.start();
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${site.mail.port}`, from: `GirlyCrea <bonjour@${site.domain}>`, timeoutMs: 2000 });
  // As the worker process runs it, with a short backoff so the outage test waits seconds, not minutes.
  worker = createOutboxWorker({ pool: app.db, mailer, pollIntervalMs: 200, backoff: { baseMs: 500, maxMs: 2000 } });
  worker.start();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await mailer?.close();
  await postfix?.stop().catch(() => undefined);
  await opendkim?.stop();
  await sink?.stop();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

let orders = 0;
/** Places and pays one order through the API for `email`; returns the Message-ID of its confirmation (sent once paid). */
async function placeOrder(email: string): Promise<string> {
  orders += 1;
  const [variant] = await pick(1, 5);
  const browser = await openBrowser(app.app);
  await addToCart(browser, variant!.id, 1);
  const res = await postCheckout(browser, `mail-${orders}-${Date.now()}`, checkoutBody({ email }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const paid = await browser.agent
    .post(`/api/payments/test/${res.body.order.id}/confirm`)
    .set('X-CSRF-Token', browser.csrf)
    .set('Idempotency-Key', `paiement-${orders}-${Date.now()}`)
    .send({ outcome: 'succeed' });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  const row = await one<{ message_id: string }>(
    app.db,
    `SELECT message_id FROM email_outbox WHERE lower(to_address) = lower($1) AND template = 'order_confirmation' ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  return row.message_id;
}

async function arrival(messageId: string, timeoutMs = 20_000): Promise<ReceivedMail> {
  await eventually(async () => sink.received.some((mail) => mail.messageId === messageId), timeoutMs, 100).catch(async (error) => {
    throw new Error(`${(error as Error).message}\nmailq:\n${await postfix.mailq()}\nlog:\n${(await postfix.log()).slice(-3000)}`);
  });
  return sink.received.find((mail) => mail.messageId === messageId)!;
}

/** The DNS the test controls: the site's DKIM record with `key`, nothing else. */
const resolverWith = (key: string) => async (name: string, type: string) => {
  if (type === 'TXT' && name === dkimRecordName(site)) return [[`v=DKIM1; k=rsa; p=${key}`]];
  throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
};

describe('Postfix and OpenDKIM from the rendered configs', () => {
  it('delivers an order confirmation placed through the API via Postfix to the relay, with a DKIM signature that verifies against the site key', { timeout: 60_000 }, async () => {
    const messageId = await placeOrder('lea.dkim@exemple.fr');
    const mail = await arrival(messageId);
    expect(mail.envelopeTo).toEqual(['lea.dkim@exemple.fr']);
    // Bounces for it would come back to the handler's address, not to the From mailbox.
    expect(mail.envelopeFrom).toBe(bounceAddress(site));

    const verified = await dkimVerify(mail.raw, { resolver: resolverWith(publicKey), minBitLength: 2048 });
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]!.signingDomain).toBe(site.domain);
    expect(verified.results[0]!.selector).toBe(site.mail.selector);
    expect(verified.results[0]!.status.result).toBe('pass');

    // The same message against another key fails: the check above is a real verification.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const forged = await dkimVerify(mail.raw, { resolver: resolverWith(other), minBitLength: 2048 });
    expect(forged.results[0]!.status.result).not.toBe('pass');

    const parsed = await simpleParser(mail.raw);
    expect(parsed.text).toContain('Nous avons bien');
    expect(parsed.headers.has('list-unsubscribe')).toBe(false);
    expect(parsed.messageId).toBe(messageId);
    const received = [parsed.headers.get('received')].flat().map(String).join('\n');
    expect(received).not.toContain('127.0.0.1');
  });

  it('refuses to relay for a client that is not on loopback 127.0.0.1, and accepts the same envelope from 127.0.0.1', async () => {
    const outsider = await smtpDialog(site.mail.port, '127.0.0.2', ['EHLO outsider.test', 'MAIL FROM:<spam@outsider.test>', 'RCPT TO:<victime@exemple.org>', 'QUIT']);
    expect(outsider[0]).toMatch(/^220 /);
    expect(outsider[3]).toMatch(/^554 5\.7\.1 /);
    const local = await smtpDialog(site.mail.port, '127.0.0.1', ['EHLO api.test', `MAIL FROM:<bonjour@${site.domain}>`, 'RCPT TO:<victime@exemple.org>', 'RSET', 'QUIT']);
    expect(local[3]).toMatch(/^250 /);
    expect(sink.received.some((mail) => mail.envelopeTo.includes('victime@exemple.org'))).toBe(false);
  });

  it('while OpenDKIM is down mail waits (Postfix answers 4xx) and leaves signed once it is back', { timeout: 60_000 }, async () => {
    await opendkim.stop();
    try {
      const messageId = await placeOrder('lea.milter@exemple.fr');
      await eventually(async () => {
        const row = await one<{ status: string; last_error: string | null }>(app.db, 'SELECT status, last_error FROM email_outbox WHERE message_id = $1', [messageId]);
        return row.status === 'pending' && /^4\d\d /.test(row.last_error ?? '');
      }, 15_000, 100);
      expect(sink.received.some((mail) => mail.messageId === messageId)).toBe(false);
      await opendkim.start();
      const mail = await arrival(messageId);
      const verified = await dkimVerify(mail.raw, { resolver: resolverWith(publicKey) });
      expect(verified.results[0]!.status.result).toBe('pass');
    } finally {
      await opendkim.start();
    }
  });

  it('with Postfix stopped for 30 s while 50 orders are placed, all 50 confirmations arrive exactly once after it restarts', async () => {
    await postfix.stop();
    const stoppedAt = Date.now();
    let messageIds: string[] = [];
    try {
      for (let i = 0; i < 50; i += 1) messageIds.push(await placeOrder(`client.panne.${i}@exemple.fr`));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - stoppedAt))));
      const waiting = await many<{ status: string }>(app.db, 'SELECT status FROM email_outbox WHERE message_id = ANY($1)', [messageIds]);
      expect(waiting.filter((row) => row.status === 'pending' || row.status === 'sending')).toHaveLength(50);
      expect(sink.received.filter((mail) => messageIds.includes(mail.messageId))).toHaveLength(0);
    } finally {
      await postfix.start();
    }
    await eventually(async () => messageIds.every((id) => sink.received.some((mail) => mail.messageId === id)), 60_000, 200);
    // Anything sent twice would show up within the next seconds (retries are 2 s apart at most).
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const counts = sink.countsByMessageId();
    expect(messageIds.map((id) => counts.get(id))).toEqual(messageIds.map(() => 1));
    const sent = await many<{ status: string }>(app.db, 'SELECT status FROM email_outbox WHERE message_id = ANY($1)', [messageIds]);
    expect(sent.every((row) => row.status === 'sent')).toBe(true);
    messageIds = [];
  }, 150_000);

  it('a recipient the receiver refuses with 550 comes back as a DSN, the bounce handler marks it, and the next mail to it is not attempted', async () => {
    const address = 'absente@exemple.fr';
    sink.rejectRecipient(address, 550);
    await placeOrder(address);
    await eventually(async () => (await many(app.db, 'SELECT 1 FROM email_suppressions WHERE address = $1 AND source = $2', [address, 'dsn'])).length === 1, 30_000, 200).catch(
      async (error) => {
        throw new Error(`${(error as Error).message}\nlog:\n${(await postfix.log()).slice(-4000)}`);
      },
    );
    const [suppression] = await many<{ reason: string }>(app.db, 'SELECT reason FROM email_suppressions WHERE address = $1', [address]);
    expect(suppression!.reason).toMatch(/^5\.1\.1 .*550/);
    expect(sink.refusedRecipients).toEqual([address]);

    const next = await placeOrder('Absente@exemple.fr');
    await eventually(async () => (await one<{ status: string }>(app.db, 'SELECT status FROM email_outbox WHERE message_id = $1', [next])).status === 'failed', 10_000, 100);
    const row = await one<{ last_error: string }>(app.db, 'SELECT last_error FROM email_outbox WHERE message_id = $1', [next]);
    expect(row.last_error).toMatch(/^adresse non distribuable, e-mail non tenté/);
    // Not attempted: neither Postfix nor the receiver ever saw the second one.
    expect(sink.refusedRecipients).toEqual([address]);
    expect(await postfix.mailq()).not.toMatch(/absente/i);
  }, 60_000);
});

/** Speaks SMTP line by line from `localAddress`; returns the greeting then one reply per command. */
async function smtpDialog(port: number, localAddress: string, commands: string[]): Promise<string[]> {
  const socket: Socket = createConnection({ host: '127.0.0.1', port, localAddress });
  const replies: string[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply ends with a line "NNN text" (a dash after the code means more lines follow).
    for (let match = /^(\d{3}) .*\r\n/m.exec(buffer); match; match = /^(\d{3}) .*\r\n/m.exec(buffer)) {
      replies.push(match[0].trim());
      buffer = buffer.slice(match.index + match[0].length);
      waiters.shift()?.();
    }
  });
  const next = () => new Promise<void>((resolve) => waiters.push(resolve));
  await next();
  for (const command of commands) {
    const reply = next();
    socket.write(`${command}\r\n`);
    await reply;
  }
  socket.destroy();
  return replies;
}
