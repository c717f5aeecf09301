import { exec, maybeOne, type Queryable } from '@girlycrea/db';
import { MailerError } from './mailer.js';

/** Where we learnt that an address bounces: the outbox's own SMTP conversation, or a DSN. */
export type BounceSource = 'smtp' | 'dsn';

/** One recipient a delivery status notification reports as refused for good. */
export interface BouncedRecipient {
  address: string;
  /** The enhanced status code, e.g. `5.1.1`. */
  status: string;
  /** The receiver's answer, e.g. `smtp; 550 5.1.1 <x@y>: Recipient address rejected: User unknown`. */
  diagnostic: string;
}

const ENHANCED = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/;
// Refusals that mean "this mailbox does not exist / is closed". Policy, content, size and relay
// refusals (5.7.x, 5.3.x, 5.6.x…) say nothing about the address: marking it for them could, after
// one misconfiguration, silence every customer.
const ADDRESS_STATUS = /^5\.(1\.\d{1,3}|2\.1)$/;
const ADDRESS_CODES = new Set([550, 551, 553]);

/** True when a 5xx answer (`code`, and its enhanced `status` when the server gave one) blames the recipient's address. */
export function blamesAddress(code: number, status: string | undefined, atRecipient: boolean): boolean {
  if (code < 500 || code > 599) return false;
  if (status && status !== '5.0.0') return ADDRESS_STATUS.test(status);
  return atRecipient && ADDRESS_CODES.has(code);
}

/**
 * True for a hard bounce: the server refused the recipient itself for good (550 5.1.1 user unknown,
 * 5.2.1 mailbox disabled…). A 4xx, a refused connection or a refusal of the message (spam, size,
 * relay) is not one.
 */
export function isHardBounce(error: unknown): boolean {
  if (!(error instanceof MailerError) || error.responseCode === undefined) return false;
  const status = error.response ? ENHANCED.exec(error.response)?.[1] : undefined;
  return blamesAddress(error.responseCode, status, error.command === 'RCPT TO');
}

/** Marks `address` undeliverable (or refreshes why): the outbox attempts no more mail to it. */
export async function markUndeliverable(db: Queryable, address: string, source: BounceSource, reason: string): Promise<void> {
  await exec(
    db,
    `INSERT INTO email_suppressions (address, source, reason) VALUES (lower($1), $2, $3)
     ON CONFLICT (address) DO UPDATE SET source = EXCLUDED.source, reason = EXCLUDED.reason, updated_at = now()`,
    [address, source, reason.slice(0, 1000) || 'refus définitif'],
  );
}

/** Why `address` is undeliverable, or null when mail to it is attempted. */
export async function undeliverableReason(db: Queryable, address: string): Promise<string | null> {
  const row = await maybeOne<{ reason: string }>(db, 'SELECT reason FROM email_suppressions WHERE address = lower($1)', [address]);
  return row?.reason ?? null;
}

/** Lets mail flow to `address` again (the customer fixed her mailbox). Returns false if it was not marked. */
export async function allowAddress(db: Queryable, address: string): Promise<boolean> {
  return (await exec(db, 'DELETE FROM email_suppressions WHERE address = lower($1)', [address])) > 0;
}

function unfold(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
}

function fieldsOf(group: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of group.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}

/** Reads a `message/delivery-status` body (RFC 3464): the recipients whose delivery failed for good because of their address. */
export function parseDeliveryStatus(body: string): BouncedRecipient[] {
  const groups = unfold(body).split(/\n\s*\n/).slice(1);
  const bounced: BouncedRecipient[] = [];
  for (const group of groups) {
    const fields = fieldsOf(group);
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    const status = fields.get('status')?.split(/\s/)[0] ?? '';
    const diagnostic = fields.get('diagnostic-code') ?? '';
    if (!recipient || fields.get('action')?.toLowerCase() !== 'failed') continue;
    const address = recipient.slice(recipient.indexOf(';') + 1).trim().replace(/^<|>$/g, '');
    const code = Number(/^\S+;\s*(\d{3})\b/.exec(diagnostic)?.[1] ?? (status.startsWith('5.') ? 550 : 0));
    if (!address.includes('@') || !/^5\./.test(status)) continue;
    if (!blamesAddress(code, status, true)) continue;
    bounced.push({ address, status, diagnostic });
  }
  return bounced;
}

function splitHead(part: string): { head: Map<string, string>; body: string } {
  const normal = part.replace(/\r\n/g, '\n');
  const cut = normal.search(/\n\n/);
  const headText = cut < 0 ? normal : normal.slice(0, cut);
  return { head: fieldsOf(unfold(headText)), body: cut < 0 ? '' : normal.slice(cut + 2) };
}

// The body of the report's message/delivery-status part, if the message is a DSN. mailparser folds
// that part into the text, so the top-level multipart/report is split here (its parts are 7-bit).
function deliveryStatusPart(raw: string): string | undefined {
  const { head, body } = splitHead(raw);
  const type = head.get('content-type') ?? '';
  if (!/^multipart\/report/i.test(type)) return undefined;
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return undefined;
  for (const part of body.split(`--${boundary}`).slice(1)) {
    const { head: partHead, body: partBody } = splitHead(part.replace(/^\r?\n/, ''));
    if (!/^message\/(global-)?delivery-status/i.test(partHead.get('content-type') ?? '')) continue;
    return /^base64$/i.test(partHead.get('content-transfer-encoding') ?? '') ? Buffer.from(partBody, 'base64').toString('utf8') : partBody;
  }
  return undefined;
}

/**
 * Reads a bounce message (a DSN: multipart/report; report-type=delivery-status) and returns the
 * addresses it reports as refused for good. Any other message (a vacation reply, spam) gives [].
 */
export function parseBounce(raw: Buffer | string): BouncedRecipient[] {
  const report = deliveryStatusPart(typeof raw === 'string' ? raw : raw.toString('utf8'));
  return report ? parseDeliveryStatus(report) : [];
}
