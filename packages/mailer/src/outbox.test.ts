import { createPool, one, withTransaction, type Pool } from '@girlycrea/db';
import { createTestDatabase, eventually, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailer, type Mailer } from './mailer.js';
import { createOutboxWorker, enqueueEmail, isPermanentFailure, MailerError, retryDelayMs, TemplateDataError } from './index.js';
import { SAMPLE_DATA } from './templates/samples.js';
import { startSmtpSink, type SmtpSink } from './testing.js';

interface OutboxRow {
  status: string;
  attempts: number;
  rejections: number;
  last_error: string | null;
  message_id: string;
  sent_at: Date | null;
}

let database: TestDatabase;
let pool: Pool;
let sink: SmtpSink;
let mailer: Mailer;
const fast = { baseMs: 20, maxMs: 50 };

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

const rowOf = (id: string) => one<OutboxRow>(pool, 'SELECT * FROM email_outbox WHERE id = $1', [id]);
const enqueueWelcome = (to: string, maxAttempts?: number) =>
  withTransaction(pool, (tx) => enqueueEmail(tx, { template: 'welcome', to, data: { name: 'Zoé' }, maxAttempts }));
const received = (messageId: string) => sink.received.filter((mail) => mail.messageId === messageId).length;
/** Runs the worker until `done` holds for the row (the backoff is a few ms). */
async function runUntil(worker: { runOnce(): Promise<unknown> }, id: string, done: (row: OutboxRow) => boolean) {
  await eventually(async () => {
    await worker.runOnce();
    return done(await rowOf(id));
  }, 10_000, 30);
}

describe('enqueueEmail', () => {
  it('writes nothing when the surrounding transaction rolls back', async () => {
    const to = `rollback-${Date.now()}@exemple.fr`;
    await expect(
      withTransaction(pool, async (tx) => {
        await enqueueEmail(tx, { template: 'order_confirmation', to, data: SAMPLE_DATA.order_confirmation });
        throw new Error('le paiement a échoué');
      }),
    ).rejects.toThrow('le paiement a échoué');
    expect((await pool.query('SELECT count(*)::int AS n FROM email_outbox WHERE to_address = $1', [to])).rows[0].n).toBe(0);
  });

  it('writes exactly one pending row with a stable Message-ID when the transaction commits', async () => {
    const to = `commit-${Date.now()}@exemple.fr`;
    const id = await withTransaction(pool, (tx) =>
      enqueueEmail(tx, { template: 'order_confirmation', to, data: SAMPLE_DATA.order_confirmation, messageIdDomain: 'girlycrea.fr' }),
    );
    const rows = (await pool.query('SELECT * FROM email_outbox WHERE to_address = $1', [to])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, status: 'pending', attempts: 0, rejections: 0, max_attempts: 5, template: 'order_confirmation' });
    expect(rows[0].message_id).toMatch(/^<[0-9a-f-]{36}@girlycrea\.fr>$/);
    expect(rows[0].data).toEqual(SAMPLE_DATA.order_confirmation);
    // Keep the worker tests below to their own rows.
    await pool.query('DELETE FROM email_outbox WHERE id = $1', [id]);
  });

  it('refuses invalid data or address at enqueue time, before writing anything', async () => {
    const to = `invalid-${Date.now()}@exemple.fr`;
    await expect(
      withTransaction(pool, (tx) =>
        enqueueEmail(tx, { template: 'password_reset', to, data: { ...SAMPLE_DATA.password_reset, resetUrl: 'javascript:alert(1)' } }),
      ),
    ).rejects.toBeInstanceOf(TemplateDataError);
    await expect(
      withTransaction(pool, (tx) => enqueueEmail(tx, { template: 'welcome', to: 'pas-une-adresse', data: { name: 'Zoé' } })),
    ).rejects.toMatchObject({ name: 'TemplateDataError', issues: [{ path: 'to' }] });
    expect((await pool.query('SELECT count(*)::int AS n FROM email_outbox WHERE to_address = $1', [to])).rows[0].n).toBe(0);
  });
});

describe('outbox worker against a real SMTP server', () => {
  it('delivers a message once under its stored Message-ID, then never again', async () => {
    const id = await enqueueWelcome('once@exemple.fr');
    const sent: string[] = [];
    const worker = createOutboxWorker({ pool, mailer, backoff: fast, onSent: (event) => sent.push(event.id) });
    await runUntil(worker, id, (row) => row.status === 'sent');
    await worker.runOnce();
    await worker.runOnce();
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(received(row.message_id)).toBe(1);
    expect(sent).toEqual([id]);
  });

  it('marks a message failed with the server answer after max_attempts permanent refusals of the message (not of the address)', async () => {
    const id = await enqueueWelcome('refused@exemple.fr', 3);
    const failed: string[] = [];
    const worker = createOutboxWorker({ pool, mailer, backoff: fast, onFailed: (event) => failed.push(event.error ?? '') });
    sink.rejectWith(554, '5.7.1 Message refusé');
    const refusedBefore = sink.rejectedCount;
    try {
      await runUntil(worker, id, (row) => row.status === 'failed');
    } finally {
      sink.rejectWith(null);
    }
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, rejections: 3, last_error: '554 5.7.1 Message refusé', sent_at: null });
    expect(sink.rejectedCount - refusedBefore).toBe(3);
    expect(failed).toEqual(['554 5.7.1 Message refusé']);
    await worker.runOnce();
    expect((await rowOf(id)).status).toBe('failed');
    expect(received(row.message_id)).toBe(0);
  });

  it('retries a 451 without counting it toward max_attempts, and delivers once the server accepts again', async () => {
    const id = await enqueueWelcome('greylisted@exemple.fr', 1);
    const worker = createOutboxWorker({ pool, mailer, backoff: fast });
    sink.rejectWith(451, '4.7.1 Réessayez plus tard');
    try {
      await runUntil(worker, id, (row) => row.attempts >= 3);
      expect(await rowOf(id)).toMatchObject({ status: 'pending', rejections: 0, last_error: '451 4.7.1 Réessayez plus tard' });
    } finally {
      sink.rejectWith(null);
    }
    await runUntil(worker, id, (row) => row.status === 'sent');
    expect(received((await rowOf(id)).message_id)).toBe(1);
  });

  it('retries while the connection is refused, never failing the message, and delivers after the restart', async () => {
    const id = await enqueueWelcome('refused-connection@exemple.fr', 1);
    const worker = createOutboxWorker({ pool, mailer, backoff: fast });
    await sink.stop();
    try {
      await runUntil(worker, id, (row) => row.attempts >= 3);
      const waiting = await rowOf(id);
      expect(waiting).toMatchObject({ status: 'pending', rejections: 0 });
      expect(waiting.last_error).toMatch(/ECONNREFUSED/);
    } finally {
      await sink.start();
    }
    await runUntil(worker, id, (row) => row.status === 'sent');
    expect(received((await rowOf(id)).message_id)).toBe(1);
  });

  it('reclaims a message whose worker died mid-send once its lease has expired, but not before', async () => {
    const id = await enqueueWelcome('crashed-worker@exemple.fr');
    await pool.query(`UPDATE email_outbox SET status = 'sending', attempts = 1, locked_until = now() + interval '1 hour' WHERE id = $1`, [id]);
    const worker = createOutboxWorker({ pool, mailer, backoff: fast });
    await worker.runOnce();
    expect((await rowOf(id)).status).toBe('sending');
    await pool.query(`UPDATE email_outbox SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    await runUntil(worker, id, (row) => row.status === 'sent');
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('start() polls until stop(), which waits for the run in progress', async () => {
    const worker = createOutboxWorker({ pool, mailer, backoff: fast, pollIntervalMs: 20 });
    worker.start();
    worker.start();
    const id = await enqueueWelcome('polled@exemple.fr');
    await eventually(async () => (await rowOf(id)).status === 'sent', 10_000);
    await worker.stop();
    const later = await enqueueWelcome('after-stop@exemple.fr');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await rowOf(later)).status).toBe('pending');
  });
});

describe('retry rules', () => {
  it('only a 5xx answer or a locally invalid message is permanent; no answer or a 4xx is transient', () => {
    expect(isPermanentFailure(new MailerError('refusé', 'EMESSAGE', 550))).toBe(true);
    expect(isPermanentFailure(new MailerError('plus tard', 'EMESSAGE', 451))).toBe(false);
    expect(isPermanentFailure(new MailerError('connect ECONNREFUSED', 'ESOCKET'))).toBe(false);
    expect(isPermanentFailure(new MailerError('timeout', 'ETIMEDOUT'))).toBe(false);
    expect(isPermanentFailure(new MailerError('abandon', 'EABORT'))).toBe(false);
    expect(isPermanentFailure(new Error('inattendue'))).toBe(false);
    expect(isPermanentFailure(new TemplateDataError('welcome', []))).toBe(true);
  });

  it('backs off exponentially from baseMs, capped at maxMs, with at most 20 % jitter', () => {
    const backoff = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 50, 5000].map((attempts) => retryDelayMs(attempts, backoff, () => 0))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
    expect(retryDelayMs(2, backoff, () => 0.999)).toBe(240);
  });
});
