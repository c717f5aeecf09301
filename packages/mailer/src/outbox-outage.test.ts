import { createPool, withTransaction, type Pool } from '@girlycrea/db';
import { createTestDatabase, eventually, type TestDatabase } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailer, type Mailer } from './mailer.js';
import { createOutboxWorker, enqueueEmail, type OutboxWorker } from './outbox.js';
import { SAMPLE_DATA } from './templates/samples.js';
import { startSmtpSink, type SmtpSink } from './testing.js';

let database: TestDatabase;
const pools: Pool[] = [];
const mailers: Mailer[] = [];
const workers: OutboxWorker[] = [];
let sink: SmtpSink;
const backoff = { baseMs: 100, maxMs: 1000 };

beforeAll(async () => {
  database = await createTestDatabase(inject('testDb'));
  sink = await startSmtpSink();
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await Promise.all(mailers.map((mailer) => mailer.close()));
  await Promise.all(pools.map((pool) => pool.end()));
  await sink?.stop();
  await database?.drop();
});

/** One API process: its own pool through PgBouncer, its own SMTP pool, its own worker. */
function startProcess(options: { batchSize: number }) {
  const pool = createPool({ url: database.pooledUrl, max: 4 });
  const mailer = createMailer({ smtpUrl: sink.url, from: 'GirlyCrea <contact@girlycrea.fr>', timeoutMs: 1000 });
  const sent: string[] = [];
  const worker = createOutboxWorker({
    pool,
    mailer,
    backoff,
    pollIntervalMs: 20,
    batchSize: options.batchSize,
    onSent: (event) => sent.push(event.messageId),
  });
  pools.push(pool);
  mailers.push(mailer);
  workers.push(worker);
  worker.start();
  return { pool, worker, sent };
}

/** Enqueues `count` order confirmations in one transaction; returns their Message-IDs. */
async function enqueueOrders(pool: Pool, count: number, tag: string): Promise<string[]> {
  const ids = await withTransaction(pool, async (tx) => {
    const created: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const data = { ...SAMPLE_DATA.order_confirmation, orderNumber: `${tag}-${index}` };
      created.push(await enqueueEmail(tx, { template: 'order_confirmation', to: `client-${tag}-${index}@exemple.fr`, data }));
    }
    return created;
  });
  const rows = await pool.query<{ message_id: string }>('SELECT message_id FROM email_outbox WHERE id = ANY($1::uuid[])', [ids]);
  return rows.rows.map((row) => row.message_id);
}

async function statusCounts(pool: Pool, messageIds: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM email_outbox WHERE message_id = ANY($1) GROUP BY status',
    [messageIds],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** How many times the sink accepted each of `messageIds`. */
function deliveries(messageIds: string[]): number[] {
  const counts = sink.countsByMessageId();
  return messageIds.map((id) => counts.get(id) ?? 0);
}

describe('outbox delivery through outages and concurrent workers', () => {
  it('keeps 60 messages waiting while SMTP is down, then delivers every one exactly once after it restarts', async () => {
    await sink.stop();
    const { pool, worker } = startProcess({ batchSize: 25 });
    const messageIds = await enqueueOrders(pool, 60, 'outage');

    // Retry rounds against a closed port until the backoff reaches its 1 s cap.
    await eventually(async () => {
      const { rows } = await pool.query<{ min: number }>('SELECT min(attempts)::int AS min FROM email_outbox WHERE message_id = ANY($1)', [messageIds]);
      return (rows[0]?.min ?? 0) >= 5;
    }, 20_000);
    const during = await statusCounts(pool, messageIds);
    expect(during.failed ?? 0).toBe(0);
    expect(during.sent ?? 0).toBe(0);
    expect((during.pending ?? 0) + (during.sending ?? 0)).toBe(60);
    const { rows: errors } = await pool.query<{ rejections: number; last_error: string }>(
      'SELECT DISTINCT rejections, last_error FROM email_outbox WHERE message_id = ANY($1) AND last_error IS NOT NULL',
      [messageIds],
    );
    expect(errors.every((row) => row.rejections === 0 && /ECONNREFUSED/.test(row.last_error))).toBe(true);

    await sink.start();
    const restarted = Date.now();
    await eventually(async () => (await statusCounts(pool, messageIds)).sent === 60, 60_000, 100);
    expect(Date.now() - restarted).toBeLessThan(60_000);
    expect(deliveries(messageIds)).toEqual(messageIds.map(() => 1));
    await worker.stop();
  });

  it('two workers on two pools share 150 messages: every one delivered, none twice', async () => {
    const first = startProcess({ batchSize: 10 });
    const second = startProcess({ batchSize: 10 });
    const messageIds = await enqueueOrders(first.pool, 150, 'race');

    await eventually(async () => (await statusCounts(first.pool, messageIds)).sent === 150, 30_000, 100);
    expect(deliveries(messageIds)).toEqual(messageIds.map(() => 1));
    const { rows } = await first.pool.query<{ attempts: number }>('SELECT DISTINCT attempts FROM email_outbox WHERE message_id = ANY($1)', [messageIds]);
    expect(rows).toEqual([{ attempts: 1 }]);
    // Both really worked: the test would prove nothing if one worker had taken every batch.
    expect(first.sent.length).toBeGreaterThan(0);
    expect(second.sent.length).toBeGreaterThan(0);
    expect(first.sent.length + second.sent.length).toBe(150);
  });
});
