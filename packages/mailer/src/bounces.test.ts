import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createPool, many, one, withTransaction, type Pool } from '@girlycrea/db';
import { createTestDatabase, eventually, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allowAddress, isHardBounce, parseBounce, undeliverableReason } from './bounces.js';
import { createOutboxWorker, enqueueEmail, MailerError } from './index.js';
import { createMailer, type Mailer } from './mailer.js';
import { startSmtpSink, type SmtpSink } from './testing.js';

const FIXTURE = new URL('./fixtures/postfix-dsn.eml', import.meta.url);
const CLI = fileURLToPath(new URL('./cli/bounce.ts', import.meta.url));

let database: TestDatabase;
let pool: Pool;
let sink: SmtpSink;
let mailer: Mailer;

beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
  pool = createPool({ url: database.pooledUrl, max: 5 });
  sink = await startSmtpSink();
  mailer = createMailer({ smtpUrl: sink.url, from: 'GirlyCrea <contact@girlycrea.fr>', timeoutMs: 1000 });
});

afterAll(async () => {
  await mailer?.close();
  await sink?.stop();
  await pool?.end();
  await database?.drop();
});

const enqueueWelcome = (to: string) => withTransaction(pool, (tx) => enqueueEmail(tx, { template: 'welcome', to, data: { name: 'Zoé' } }));
const rowOf = (id: string) => one<{ status: string; attempts: number; last_error: string | null }>(pool, 'SELECT status, attempts, last_error FROM email_outbox WHERE id = $1', [id]);
const refusal = (responseCode: number, response: string, command: string) => new MailerError('refus', 'EENVELOPE', responseCode, response, { command });

/** Runs the bounce CLI as Postfix's pipe does: the message on stdin, the database in the environment. */
function runCli(input: Buffer | string, databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--conditions=development', CLI], { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

describe('hard bounces', () => {
  it('counts as hard only a 5xx that blames the mailbox: 5.1.x / 5.2.1, or 550/551/553 to RCPT TO without enhanced code', () => {
    expect(isHardBounce(refusal(550, '550 5.1.1 <x@y>: Recipient address rejected: User unknown', 'RCPT TO'))).toBe(true);
    expect(isHardBounce(refusal(550, '550 5.2.1 Mailbox disabled', 'DATA'))).toBe(true);
    expect(isHardBounce(refusal(550, '550 No such user here', 'RCPT TO'))).toBe(true);
    // The message or our server is refused, not the address: marking it would silence a good customer.
    expect(isHardBounce(refusal(554, '554 5.7.1 <x@y>: Relay access denied', 'RCPT TO'))).toBe(false);
    expect(isHardBounce(refusal(552, '552 5.3.4 Message size exceeds fixed limit', 'DATA'))).toBe(false);
    expect(isHardBounce(refusal(550, '550 Message rejected as spam', 'DATA'))).toBe(false);
    expect(isHardBounce(refusal(450, '450 4.2.0 Mailbox busy', 'RCPT TO'))).toBe(false);
    expect(isHardBounce(new MailerError('Connection refused', 'ECONNECTION'))).toBe(false);
  });

  it('marks a recipient refused with 550 at RCPT TO undeliverable, fails its message at once, and attempts no further mail to it', async () => {
    const address = `inconnue-${Date.now()}@exemple.fr`;
    sink.rejectRecipient(address, 550);
    const failed: string[] = [];
    const worker = createOutboxWorker({ pool, mailer, backoff: { baseMs: 20, maxMs: 50 }, onFailed: (event) => failed.push(event.id) });
    const first = await enqueueWelcome(address);
    await eventually(async () => (await worker.runOnce(), (await rowOf(first)).status === 'failed'), 10_000, 30);
    expect(await rowOf(first)).toMatchObject({ status: 'failed', attempts: 1, last_error: `550 5.1.1 <${address}>: Recipient address rejected: User unknown` });
    expect(await undeliverableReason(pool, address.toUpperCase())).toMatch(/^550 5\.1\.1/);
    expect(sink.refusedRecipients.filter((to) => to === address)).toHaveLength(1);

    const second = await enqueueWelcome(address.toUpperCase());
    await eventually(async () => (await worker.runOnce(), (await rowOf(second)).status === 'failed'), 10_000, 30);
    expect((await rowOf(second)).last_error).toMatch(/^adresse non distribuable, e-mail non tenté : 550 5\.1\.1/);
    // Not attempted: the server never heard of it again.
    expect(sink.refusedRecipients.filter((to) => to === address)).toHaveLength(1);
    expect(failed).toEqual([first, second]);

    // Once the owner lifts the mark (the customer fixed her mailbox), mail flows again.
    sink.rejectRecipient(address, null);
    expect(await allowAddress(pool, address)).toBe(true);
    const third = await enqueueWelcome(address);
    await eventually(async () => (await worker.runOnce(), (await rowOf(third)).status === 'sent'), 10_000, 30);
  });
});

describe('bounce handler (Postfix pipe)', () => {
  it('reads the failed recipient, its status and diagnostic from a Postfix DSN', async () => {
    expect(parseBounce(await readFile(FIXTURE))).toEqual([
      { address: 'absente@exemple.fr', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <absente@exemple.fr>: Recipient address rejected: User unknown' },
    ]);
  });

  it('ignores a DSN for a delay or a policy refusal, and a message that is not a DSN', async () => {
    const dsn = (await readFile(FIXTURE, 'utf8')).replace(/\r\n/g, '\n');
    expect(parseBounce(dsn.replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1'))).toEqual([]);
    expect(parseBounce(dsn.replace('Status: 5.1.1', 'Status: 5.7.1').replace(/550 5\.1\.1/g, '554 5.7.1'))).toEqual([]);
    expect(parseBounce('From: a@b.fr\nSubject: Absente jusqu’au 12\nContent-Type: text/plain\n\nJe suis en congés.\n')).toEqual([]);
  });

  it('as a CLI: marks the DSN’s address (exit 0), drops a non-DSN (exit 0), asks Postfix to retry when the database is down (exit 75)', async () => {
    const marked = await runCli(await readFile(FIXTURE), database.pooledUrl);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toContain('absente@exemple.fr marquée non distribuable (5.1.1)');
    const [row] = await many<{ source: string; reason: string }>(pool, 'SELECT source, reason FROM email_suppressions WHERE address = $1', ['absente@exemple.fr']);
    expect(row).toEqual({ source: 'dsn', reason: '5.1.1 smtp; 550 5.1.1 <absente@exemple.fr>: Recipient address rejected: User unknown' });

    const ignored = await runCli('From: a@b.fr\nSubject: Bonjour\n\nRien.\n', database.pooledUrl);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain('ignoré');

    const down = await runCli(await readFile(FIXTURE), 'postgres://postgres@127.0.0.1:1/nowhere');
    expect(down.code).toBe(75);
    expect(down.stderr).toContain('Postfix réessaiera');
  });
});
