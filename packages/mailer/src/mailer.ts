import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressObject } from 'mailparser';
import nodemailer from 'nodemailer';

/** How to send: SMTP when `smtpUrl` is set, otherwise capture each message as an `.eml` file in `captureDir`. */
export interface MailerConfig {
  /** e.g. `smtp://127.0.0.1:25` (Postfix on loopback). */
  smtpUrl?: string;
  /** The From header, e.g. `GirlyCrea <contact@girlycrea.fr>`. */
  from: string;
  /** Where capture mode writes messages; required when `smtpUrl` is not set. */
  captureDir?: string;
  /** Connection and greeting timeout; socket inactivity gets twice this, a whole send six times. Default 5000. */
  timeoutMs?: number;
  /** Open SMTP connections at most. Default 5. */
  maxConnections?: number;
}

/** One fully rendered message. `messageId` is `<id@domain>` and stays the same on every retry. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers?: Record<string, string>;
  /** Overrides the mailer's From. */
  from?: string;
}

/** What the server (or the capture folder) answered. */
export interface SendResult {
  /** The SMTP server's final reply, e.g. `250 2.0.0 Ok: queued as 4F2A1`; `captured <file>` in capture mode. */
  response: string;
  messageId: string;
  /** The `.eml` file name, in capture mode only. */
  file?: string;
}

/** A failed send. `responseCode` is set only when the server answered; `code` is nodemailer's (ECONNECTION, ETIMEDOUT, ESOCKET, EMESSAGE…). */
export class MailerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly responseCode?: number,
    readonly response?: string,
    options?: { cause?: unknown; command?: string },
  ) {
    super(message, options);
    this.name = 'MailerError';
    this.command = options?.command;
  }

  /** The SMTP command the server refused (`MAIL FROM`, `RCPT TO`, `DATA`…), when nodemailer says. */
  readonly command: string | undefined;
}

function toMailerError(error: unknown): MailerError {
  if (error instanceof MailerError) return error;
  const fields = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown; command?: unknown };
  const responseCode = typeof fields.responseCode === 'number' && fields.responseCode > 0 ? fields.responseCode : undefined;
  return new MailerError(
    typeof fields.message === 'string' ? fields.message : String(error),
    typeof fields.code === 'string' ? fields.code : 'EUNKNOWN',
    responseCode,
    typeof fields.response === 'string' ? fields.response : undefined,
    { cause: error, ...(typeof fields.command === 'string' ? { command: fields.command } : {}) },
  );
}

// Only names we generate ourselves: no separators, no leading dot, so `..` can never escape the folder.
const CAPTURED_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]*\.eml$/;

function captureFileName(): string {
  // Sortable by name: newest last in the folder, newest first once reversed.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `${stamp}_${randomBytes(4).toString('hex')}.eml`;
}

/** Creates a mailer: a pooled SMTP transport with bounded timeouts, or `.eml` capture for `npm run dev`. */
export function createMailer(config: MailerConfig) {
  const timeoutMs = config.timeoutMs ?? 5000;
  const captureDir = config.captureDir;
  if (!config.smtpUrl && !captureDir) throw new Error('createMailer : smtpUrl ou captureDir est requis.');

  const smtp = config.smtpUrl
    ? nodemailer.createTransport({
        url: config.smtpUrl,
        pool: true,
        maxConnections: config.maxConnections ?? 5,
        // The outbox is the one place that retries; a hidden requeue here would only delay its answer.
        maxRequeues: 0,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs * 2,
        socketCloseTimeout: 1000,
        // Idle connections to a loopback Postfix are cheap to reopen; do not hold them for minutes.
        idleTimeout: 30_000,
      })
    : undefined;
  // Same composer as SMTP, so a captured .eml has exactly the bytes the server would have received.
  const capture = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  return {
    /** Sends one message; resolves once the server accepted it, rejects with `MailerError` otherwise (never hangs). */
    async send(message: OutgoingMail): Promise<SendResult> {
      const options = {
        from: message.from ?? config.from,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        headers: message.headers,
      };
      try {
        if (smtp) {
          // Socket timeouts miss a server trickling bytes; the signal bounds the whole exchange.
          const info = await smtp.sendMail({ ...options, signal: AbortSignal.timeout(timeoutMs * 6) });
          return { response: info.response, messageId: info.messageId };
        }
        const info = await capture.sendMail(options);
        const file = captureFileName();
        await mkdir(captureDir!, { recursive: true });
        await writeFile(join(captureDir!, file), info.message as Buffer, { flag: 'wx' });
        return { response: `captured ${file}`, messageId: info.messageId, file };
      } catch (error) {
        throw toMailerError(error);
      }
    },
    /** Closes idle SMTP connections; a message being transmitted finishes first. */
    async close(): Promise<void> {
      smtp?.close();
      capture.close();
    },
  };
}

/** A mailer built by `createMailer`. */
export type Mailer = ReturnType<typeof createMailer>;

/** One captured message, as listed for the dev mail page. */
export interface CapturedMailSummary {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  /** ISO date from the Date header. */
  date: string;
}

/** A captured message with its parts and raw source. */
export interface CapturedMail extends CapturedMailSummary {
  html: string;
  text: string;
  raw: string;
}

/** Thrown by `readCapturedMail` for a name that is not a plain `.eml` file name (`invalid_name`) or a missing file. */
export class CapturedMailError extends Error {
  constructor(
    readonly code: 'invalid_name' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'CapturedMailError';
  }
}

function addressText(to: AddressObject | AddressObject[] | undefined): string {
  if (!to) return '';
  return (Array.isArray(to) ? to : [to]).map((address) => address.text).join(', ');
}

function headerBlock(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const unixEnd = raw.indexOf('\n\n');
  const cut = end >= 0 ? end + 4 : unixEnd >= 0 ? unixEnd + 2 : raw.length;
  return raw.subarray(0, cut);
}

async function summarize(file: string, raw: Buffer): Promise<CapturedMailSummary> {
  // Only the header block: listing a folder of large messages stays cheap.
  // Loaded on first use: only the development mail pages parse mail, and it weighs ~10 MB.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(headerBlock(raw));
  return {
    file,
    messageId: parsed.messageId ?? '',
    to: addressText(parsed.to),
    subject: parsed.subject ?? '',
    date: (parsed.date ?? new Date(0)).toISOString(),
  };
}

/** Lists the captured messages in `captureDir`, newest first; an absent folder lists nothing. */
export async function listCapturedMail(captureDir: string): Promise<CapturedMailSummary[]> {
  let files: string[];
  try {
    files = (await readdir(captureDir)).filter((file) => CAPTURED_FILE.test(file));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  files.sort().reverse();
  return Promise.all(files.map(async (file) => summarize(file, await readFile(join(captureDir, file)))));
}

/** Reads one captured message; rejects any name but a plain `*.eml` file name, so no path escapes `captureDir`. */
export async function readCapturedMail(captureDir: string, file: string): Promise<CapturedMail> {
  if (!CAPTURED_FILE.test(file)) throw new CapturedMailError('invalid_name', `Nom de fichier refusé : ${file}`);
  let raw: Buffer;
  try {
    raw = await readFile(join(captureDir, file));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw new CapturedMailError('not_found', `E-mail introuvable : ${file}`);
    throw error;
  }
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw);
  return {
    ...(await summarize(file, raw)),
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
    raw: raw.toString('utf8'),
  };
}
