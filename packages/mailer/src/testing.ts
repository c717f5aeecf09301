import { freePort } from '@girlycrea/testkit';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted, as the bytes the client sent after DATA. */
export interface ReceivedMail {
  raw: Buffer;
  /** The Message-ID header, angle brackets included, or '' when the message had none. */
  messageId: string;
  envelopeTo: string[];
  /** MAIL FROM: where the receiver would send a bounce. */
  envelopeFrom: string;
}

/** A real SMTP server on loopback that records what it accepts; stop and start it to simulate an outage. */
export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>`, ready for `createMailer({ smtpUrl })`. */
  url: string;
  /** Every accepted message, in arrival order. */
  readonly received: ReceivedMail[];
  /** How many messages were answered with the rejection code. */
  readonly rejectedCount: number;
  /** Answers every following message with `code text` (e.g. 550 or 451) after DATA; `null` accepts again. */
  rejectWith(code: number | null, text?: string): void;
  /** Refuses `address` at RCPT TO with `code text` (default `550 5.1.1 … User unknown`), as a receiver without that mailbox does; `null` accepts it again. */
  rejectRecipient(address: string, code?: number | null, text?: string): void;
  /** How many RCPT TO commands were refused by `rejectRecipient`. */
  readonly refusedRecipients: string[];
  /** How many times each Message-ID was accepted. */
  countsByMessageId(): Map<string, number>;
  /** Listens again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops listening and drops open connections; connections are refused until `start`. */
  stop(): Promise<void>;
}

const MESSAGE_ID_HEADER = /^Message-ID:[ \t]*(<[^>\r\n]+>)/im;

/**
 * Starts an SMTP sink on a free loopback port (or `port`), accepting everything until told to reject.
 * `onAccepted` runs synchronously before the 250 answer: a sink killed after it never loses a message it acknowledged.
 */
export async function startSmtpSink(options: { port?: number; onAccepted?: (mail: ReceivedMail) => void } = {}): Promise<SmtpSink> {
  const port = options.port ?? (await freePort());
  const received: ReceivedMail[] = [];
  let rejection: { code: number; text: string } | null = null;
  let rejectedCount = 0;
  const refusals = new Map<string, { code: number; text: string }>();
  const refusedRecipients: string[] = [];
  let server: SMTPServer | undefined;

  const create = () =>
    new SMTPServer({
      logger: false,
      // No STARTTLS: the client would try to upgrade and reject the built-in self-signed certificate.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      closeTimeout: 100,
      onRcptTo(address, _session, callback) {
        const refusal = refusals.get(address.address.toLowerCase());
        if (!refusal) return callback();
        refusedRecipients.push(address.address);
        callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (rejection) {
            rejectedCount += 1;
            const error = Object.assign(new Error(rejection.text), { responseCode: rejection.code });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks);
          const header = raw.subarray(0, Math.min(raw.length, 16_384)).toString('utf8');
          const mail: ReceivedMail = {
            raw,
            messageId: MESSAGE_ID_HEADER.exec(header)?.[1] ?? '',
            envelopeTo: session.envelope.rcptTo.map((address) => address.address),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          };
          received.push(mail);
          options.onAccepted?.(mail);
          callback(null, 'Message accepted by the sink');
        });
      },
    });

  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    get rejectedCount() {
      return rejectedCount;
    },
    refusedRecipients,
    rejectRecipient(address, code = 550, text) {
      if (code === null) return void refusals.delete(address.toLowerCase());
      refusals.set(address.toLowerCase(), { code, text: text ?? `5.1.1 <${address}>: Recipient address rejected: User unknown` });
    },
    rejectWith(code, text) {
      rejection = code === null ? null : { code, text: text ?? `Rejected by the test sink (${code})` };
    },
    countsByMessageId() {
      const counts = new Map<string, number>();
      for (const mail of received) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
      return counts;
    },
    async start() {
      if (server) return;
      const next = create();
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(port, '127.0.0.1', () => {
          next.off('error', reject);
          resolve();
        });
      });
      // A client hanging up mid-session is normal in outage tests; it must not crash the run.
      next.on('error', () => undefined);
      server = next;
    },
    async stop() {
      const running = server;
      server = undefined;
      if (!running) return;
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
  };
  await sink.start();
  return sink;
}
