import { randomUUID } from 'node:crypto';
import { exec, many, one, type Pool, type Queryable, type Tx } from '@girlycrea/db';
import { z } from 'zod';
import { isHardBounce, markUndeliverable } from './bounces.js';
import { MailerError, type Mailer } from './mailer.js';
import { parseTemplateData, renderStoredEmail, TemplateDataError, type TemplateData, type TemplateName } from './templates/index.js';

/** Domain of generated Message-IDs when the caller does not pass the MAIL_FROM domain. */
export const DEFAULT_MESSAGE_ID_DOMAIN = 'girlycrea.fr';

/** An email to enqueue; `data` is checked against `template`'s type here and its schema at run time. */
export type EmailToEnqueue = {
  [K in TemplateName]: {
    template: K;
    to: string;
    data: TemplateData[K];
    /** Permanent refusals (5xx) tolerated before the message is marked failed. Default 5. */
    maxAttempts?: number;
    /** Right-hand side of the Message-ID, normally the MAIL_FROM domain. */
    messageIdDomain?: string;
  };
}[TemplateName];

const Recipient = z.email().max(320);
const MaxAttempts = z.number().int().min(1).max(100);
const Domain = z.string().regex(/^[A-Za-z0-9.-]+$/);

/**
 * Inserts the email into the outbox inside the caller's transaction, so it commits or rolls back with
 * the change it announces. Throws `TemplateDataError` (before any write) when the data is invalid.
 * Returns the outbox row id.
 */
export async function enqueueEmail(tx: Tx, message: EmailToEnqueue): Promise<string> {
  const data = parseTemplateData(message.template, message.data);
  const issues: { path: string; message: string }[] = [];
  if (!Recipient.safeParse(message.to).success) issues.push({ path: 'to', message: 'adresse e-mail invalide' });
  if (message.maxAttempts !== undefined && !MaxAttempts.safeParse(message.maxAttempts).success) {
    issues.push({ path: 'maxAttempts', message: 'entier de 1 à 100 attendu' });
  }
  const domain = message.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;
  if (!Domain.safeParse(domain).success) issues.push({ path: 'messageIdDomain', message: 'domaine invalide' });
  if (issues.length > 0) throw new TemplateDataError(message.template, issues);

  const row = await one<{ id: string }>(
    tx,
    `INSERT INTO email_outbox (template, to_address, data, message_id, max_attempts)
     VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id`,
    [message.template, message.to, JSON.stringify(data), `<${randomUUID()}@${domain}>`, message.maxAttempts ?? 5],
  );
  return row.id;
}

/** The subset of a pino logger the worker uses. */
export interface OutboxLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A delivered or failed outbox message, for metrics hooks. Carries no address or data (personal). */
export interface OutboxEvent {
  id: string;
  template: string;
  messageId: string;
  attempts: number;
  /** The server's answer (or the local error) for a failure. */
  error?: string;
}

/** How the worker runs; only `pool` and `mailer` are required. */
export interface OutboxWorkerOptions {
  pool: Pool;
  mailer: Pick<Mailer, 'send'>;
  /** Overrides the mailer's From header. */
  from?: string;
  logger?: OutboxLogger;
  /** Rows claimed per run. Default 20. */
  batchSize?: number;
  /** Pause between runs that found less than a full batch. Default 1000. */
  pollIntervalMs?: number;
  /** Retry delay `min(baseMs * 2^(attempts-1), maxMs)` plus up to 20 % jitter. Default 2 s and 30 s, so mail flows within a minute of the SMTP server coming back. */
  backoff?: { baseMs: number; maxMs: number };
  /** How long a claim lasts before another worker may take the row over; must exceed a send. Default 60 s. */
  leaseMs?: number;
  onSent?: (event: OutboxEvent) => void;
  onFailed?: (event: OutboxEvent) => void;
}

/** What one run did. */
export interface OutboxRunResult {
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  id: string;
  template: string;
  to_address: string;
  data: unknown;
  message_id: string;
  attempts: number;
  rejections: number;
  max_attempts: number;
  /** Set when the address is marked undeliverable: the message is failed without an attempt. */
  undeliverable: string | null;
}

// One statement: through PgBouncer in transaction mode it is its own transaction, so the row locks
// live exactly as long as the claim; SKIP LOCKED lets several processes claim disjoint batches.
const CLAIM_SQL = `
UPDATE email_outbox AS o
   SET status = 'sending', locked_until = now() + $2::integer * interval '1 millisecond', attempts = o.attempts + 1
 WHERE o.id IN (
   SELECT id FROM email_outbox
    WHERE (status = 'pending' AND next_attempt_at <= now())
       OR (status = 'sending' AND locked_until < now())
    ORDER BY next_attempt_at
    LIMIT $1
      FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.template, o.to_address, o.data, o.message_id, o.attempts, o.rejections, o.max_attempts,
          (SELECT s.reason FROM email_suppressions s WHERE s.address = lower(o.to_address)) AS undeliverable`;

// Once a server accepted the message it is sent, whoever holds the lease now: never send it again.
const SENT_SQL = `UPDATE email_outbox SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL
 WHERE id = $1 AND status <> 'sent'`;
// Fenced by the attempt number: a worker whose lease ran out must not overwrite its successor's claim.
const RETRY_SQL = `UPDATE email_outbox
   SET status = 'pending', locked_until = NULL, next_attempt_at = now() + $3::integer * interval '1 millisecond',
       last_error = $4, rejections = rejections + $5
 WHERE id = $1 AND status = 'sending' AND attempts = $2`;
const FAILED_SQL = `UPDATE email_outbox
   SET status = 'failed', locked_until = NULL, last_error = $3, rejections = rejections + 1
 WHERE id = $1 AND status = 'sending' AND attempts = $2`;

const LOCAL_PERMANENT_CODES = new Set(['EENVELOPE', 'ECONFIG', 'EMAXRECIPIENTS']);

/**
 * True only for failures a retry cannot fix: a 5xx answer, unrenderable data, a locally invalid envelope.
 * Anything else (no answer, refused connection, timeout, 4xx) is transient.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof TemplateDataError) return true;
  if (!(error instanceof MailerError)) return false;
  if (error.responseCode !== undefined) return error.responseCode >= 500;
  return LOCAL_PERMANENT_CODES.has(error.code);
}

/** The retry delay after `attempts` claims: exponential, capped, with 0–20 % jitter so workers spread out. */
export function retryDelayMs(attempts: number, backoff: { baseMs: number; maxMs: number }, random = Math.random): number {
  const delay = Math.min(backoff.baseMs * 2 ** Math.max(0, attempts - 1), backoff.maxMs);
  return Math.round(delay * (1 + 0.2 * random()));
}

function describeError(error: unknown): string {
  const text =
    error instanceof MailerError
      ? (error.response ?? `${error.code}: ${error.message}`)
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  return text.slice(0, 1000);
}

/**
 * Creates a worker that delivers outbox rows: claims a batch, renders each with `renderEmail`, sends it
 * under its stored Message-ID, then marks it sent, pending (retry with backoff) or failed. Safe to run
 * in several processes at once; runs never overlap within one worker.
 *
 * A message is sent again only when the server did not confirm it: exactly once while the server
 * answers within the mailer's timeouts (a frozen server that wakes up in time just delays the send).
 * A server that accepted the message but never answered, or a process that died between the
 * server's answer and recording it, means a second copy under the same Message-ID: SMTP offers no
 * better, and receivers drop such duplicates by that header.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const { pool, mailer, logger } = options;
  const batchSize = options.batchSize ?? 20;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const backoff = options.backoff ?? { baseMs: 2000, maxMs: 30_000 };
  const leaseMs = options.leaseMs ?? 60_000;
  // Outcomes whose database write failed (database blip): retried before the next claim, because a
  // delivered message left 'sending' would be delivered again once its lease runs out.
  const unrecorded: (() => Promise<number>)[] = [];
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  // Bumped by every start(): a tick from before a stop()/start() pair must not start a second loop.
  let loop = 0;

  const notify = (hook: ((event: OutboxEvent) => void) | undefined, event: OutboxEvent) => {
    try {
      hook?.(event);
    } catch (error) {
      logger?.error({ err: error, outboxId: event.id }, 'outbox: un hook a levé une erreur');
    }
  };

  async function record(write: () => Promise<number>, row: ClaimedRow): Promise<void> {
    try {
      if ((await write()) === 0) {
        logger?.warn({ outboxId: row.id, messageId: row.message_id }, 'outbox: bail expiré, un autre worker a repris le message');
      }
    } catch (error) {
      unrecorded.push(write);
      logger?.error({ err: error, outboxId: row.id }, 'outbox: résultat non enregistré, nouvel essai au prochain passage');
    }
  }

  async function fail(row: ClaimedRow, event: OutboxEvent, lastError: string, message: string): Promise<'failed'> {
    await record(() => exec(pool, FAILED_SQL, [row.id, row.attempts, lastError]), row);
    logger?.error({ outboxId: row.id, messageId: row.message_id, attempts: row.attempts, error: lastError }, message);
    notify(options.onFailed, { ...event, error: lastError });
    return 'failed';
  }

  async function deliver(row: ClaimedRow): Promise<keyof OutboxRunResult> {
    const event: OutboxEvent = { id: row.id, template: row.template, messageId: row.message_id, attempts: row.attempts };
    if (row.undeliverable !== null) {
      return fail(row, event, `adresse non distribuable, e-mail non tenté : ${row.undeliverable}`.slice(0, 1000), 'outbox: adresse non distribuable, e-mail non tenté');
    }
    try {
      const rendered = renderStoredEmail(row.template, row.data);
      await mailer.send({
        ...rendered,
        to: row.to_address,
        messageId: row.message_id,
        from: options.from,
        // RFC 3834: tells vacation responders not to answer a machine.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      const permanent = isPermanentFailure(error);
      const lastError = describeError(error);
      const fields = { outboxId: row.id, messageId: row.message_id, attempts: row.attempts, error: lastError };
      if (isHardBounce(error)) {
        // The mailbox does not exist: retrying cannot help, and no later mail to it is attempted.
        try {
          await markUndeliverable(pool, row.to_address, 'smtp', lastError);
        } catch (markError) {
          logger?.error({ err: markError, outboxId: row.id }, 'outbox: adresse non marquée non distribuable');
        }
        return fail(row, event, lastError, 'outbox: adresse refusée définitivement (hard bounce)');
      }
      if (permanent && row.rejections + 1 >= row.max_attempts) return fail(row, event, lastError, 'outbox: e-mail refusé définitivement');
      const delay = retryDelayMs(row.attempts, backoff);
      await record(() => exec(pool, RETRY_SQL, [row.id, row.attempts, delay, lastError, permanent ? 1 : 0]), row);
      logger?.warn({ ...fields, retryInMs: delay }, 'outbox: envoi reporté');
      return 'retried';
    }
    await record(() => exec(pool, SENT_SQL, [row.id]), row);
    logger?.info({ outboxId: row.id, messageId: row.message_id, attempts: row.attempts }, 'outbox: e-mail envoyé');
    notify(options.onSent, event);
    return 'sent';
  }

  async function run(): Promise<OutboxRunResult> {
    // A write that fails again stays queued and fails this run: claiming more would pile up.
    while (unrecorded.length > 0) {
      await unrecorded[0]!();
      unrecorded.shift();
    }
    const rows = await many<ClaimedRow>(pool, CLAIM_SQL, [batchSize, leaseMs]);
    const result: OutboxRunResult = { sent: 0, retried: 0, failed: 0 };
    for (const outcome of await Promise.all(rows.map(deliver))) result[outcome] += 1;
    return result;
  }

  function runOnce(): Promise<OutboxRunResult> {
    const next = current.then(run);
    current = next.catch(() => undefined);
    return next;
  }

  function schedule(delayMs: number, id: number): void {
    timer = setTimeout(() => void tick(id), delayMs);
    // The worker alone must not keep a process alive that is otherwise shutting down.
    timer.unref();
  }

  async function tick(id: number): Promise<void> {
    timer = undefined;
    if (!running || id !== loop) return;
    let busy = false;
    try {
      const result = await runOnce();
      busy = result.sent + result.retried + result.failed >= batchSize;
    } catch (error) {
      logger?.error({ err: error }, 'outbox: passage en échec (base de données injoignable ?)');
    }
    // A full batch means more may be due: drain now instead of waiting a poll interval.
    if (running && id === loop) schedule(busy ? 0 : pollIntervalMs, id);
  }

  return {
    /** Claims and processes at most one batch; concurrent calls queue behind each other. */
    runOnce,
    /** Starts polling every `pollIntervalMs`; a run never starts before the previous one ended. */
    start(): void {
      if (running) return;
      running = true;
      loop += 1;
      schedule(0, loop);
    },
    /** Stops polling and resolves once the run in progress (if any) has finished. */
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}

/** An outbox worker built by `createOutboxWorker`. */
export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

/**
 * How many messages wait (pending or being sent), how many failed for good, and how old the oldest
 * waiting one is (seconds, 0 when none waits), for the metrics gauges.
 */
export async function countOutbox(db: Queryable): Promise<{ pending: number; failed: number; oldestPendingSeconds: number }> {
  return one<{ pending: number; failed: number; oldestPendingSeconds: number }>(
    db,
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'sending'))), 0)::float8
              AS "oldestPendingSeconds"
       FROM email_outbox`,
  );
}

/** How long finished messages are kept, in days (defaults: sent 30, failed 90). */
export interface OutboxRetention {
  sentDays?: number;
  failedDays?: number;
}

/**
 * Deletes up to `limit` messages sent more than `sentDays` ago or failed more than `failedDays` ago
 * (counted from their creation); pending ones are never touched. Returns how many it deleted.
 */
export async function purgeOutbox(db: Queryable, retention: OutboxRetention = {}, limit = 1000): Promise<number> {
  return exec(
    db,
    `DELETE FROM email_outbox WHERE id IN (
       SELECT id FROM email_outbox
       WHERE (status = 'sent' AND created_at < now() - make_interval(days => $1))
          OR (status = 'failed' AND created_at < now() - make_interval(days => $2))
       LIMIT $3)`,
    [retention.sentDays ?? 30, retention.failedDays ?? 90, limit],
  );
}
