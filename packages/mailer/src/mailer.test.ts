import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturedMailError, createMailer, listCapturedMail, MailerError, readCapturedMail } from './mailer.js';
import { startSmtpSink, type SmtpSink } from './testing.js';

const message = (id: string, subject = 'Votre commande n° GC-1 est en route') => ({
  to: 'zoe@exemple.fr',
  subject,
  html: '<p>Été à Biarritz : 12,90 €</p>',
  text: 'Été à Biarritz : 12,90 €',
  messageId: `<${id}@girlycrea.fr>`,
});

describe('capture mode (npm run dev without SMTP_URL)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gc-mail-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as an .eml that listCapturedMail lists newest first and readCapturedMail opens', async () => {
    const captureDir = join(dir, 'mail');
    const mailer = createMailer({ from: 'GirlyCrea <contact@girlycrea.fr>', captureDir });
    const first = await mailer.send(message('capture-1', 'Bienvenue chez GirlyCrea, Zoé !'));
    // File names carry a millisecond timestamp; make the order unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await mailer.send(message('capture-2'));
    await mailer.close();

    expect(first.file).toMatch(/\.eml$/);
    expect(second.response).toBe(`captured ${second.file}`);
    expect((await readdir(captureDir)).sort()).toEqual([first.file, second.file].sort());

    const listed = await listCapturedMail(captureDir);
    expect(listed.map((mail) => mail.file)).toEqual([second.file, first.file]);
    expect(listed[1]).toMatchObject({
      file: first.file,
      messageId: '<capture-1@girlycrea.fr>',
      to: 'zoe@exemple.fr',
      subject: 'Bienvenue chez GirlyCrea, Zoé !',
    });
    expect(Date.now() - Date.parse(listed[1]!.date)).toBeLessThan(60_000);

    const read = await readCapturedMail(captureDir, second.file!);
    expect(read.subject).toBe('Votre commande n° GC-1 est en route');
    expect(read.html).toContain('Été à Biarritz');
    expect(read.text.trim()).toBe('Été à Biarritz : 12,90 €');
    expect(read.raw).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it.each(['../x.eml', '..', 'a/b.eml', '/etc/passwd', 'x.txt', '.eml', '.hidden.eml', 'x.eml\0.txt', '..\\x.eml'])(
    'readCapturedMail refuses the name %j without touching the disk',
    async (name) => {
      await expect(readCapturedMail(dir, name)).rejects.toMatchObject({ name: 'CapturedMailError', code: 'invalid_name' });
    },
  );

  it('answers not_found for a well-formed name that does not exist, and an empty list for a missing folder', async () => {
    await expect(readCapturedMail(dir, 'absent.eml')).rejects.toBeInstanceOf(CapturedMailError);
    await expect(readCapturedMail(dir, 'absent.eml')).rejects.toMatchObject({ code: 'not_found' });
    expect(await listCapturedMail(join(dir, 'never-created'))).toEqual([]);
  });

  it('refuses to start without an SMTP URL or a capture folder', () => {
    expect(() => createMailer({ from: 'contact@girlycrea.fr' })).toThrow(/smtpUrl ou captureDir/);
  });
});

describe('SMTP mode against a real server', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });

  afterAll(async () => {
    await sink?.stop();
  });

  it("resolves with the server's reply once it accepted the message", async () => {
    const mailer = createMailer({ smtpUrl: sink.url, from: 'contact@girlycrea.fr' });
    try {
      const result = await mailer.send({ ...message('smtp-ok'), headers: { 'X-Test': 'oui' } });
      expect(result).toEqual({ response: '250 Message accepted by the sink', messageId: '<smtp-ok@girlycrea.fr>' });
      const received = sink.received.find((mail) => mail.messageId === '<smtp-ok@girlycrea.fr>');
      expect(received?.envelopeTo).toEqual(['zoe@exemple.fr']);
      expect(received?.raw.toString()).toMatch(/^X-Test: oui\r$/m);
    } finally {
      await mailer.close();
    }
  });

  it.each([550, 451])('rejects with MailerError exposing responseCode %i when the server refuses', async (code) => {
    const mailer = createMailer({ smtpUrl: sink.url, from: 'contact@girlycrea.fr' });
    sink.rejectWith(code, 'Boîte indisponible');
    try {
      const error = await mailer.send(message(`smtp-${code}`)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MailerError);
      expect(error).toMatchObject({ responseCode: code, code: 'EMESSAGE', response: `${code} Boîte indisponible` });
    } finally {
      sink.rejectWith(null);
      await mailer.close();
    }
  });

  it('rejects promptly with a connection code and no responseCode when nothing listens', async () => {
    await sink.stop();
    const mailer = createMailer({ smtpUrl: sink.url, from: 'contact@girlycrea.fr', timeoutMs: 1000 });
    try {
      const started = Date.now();
      const error = await mailer.send(message('smtp-down')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MailerError);
      expect((error as MailerError).responseCode).toBeUndefined();
      expect(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT']).toContain((error as MailerError).code);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await mailer.close();
      await sink.start();
    }
  });

  it('gives up within its timeout on a server that accepts the connection but never greets', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'contact@girlycrea.fr', timeoutMs: 300 });
    try {
      const error = await mailer.send(message('smtp-silent')).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ETIMEDOUT' });
      expect((error as MailerError).responseCode).toBeUndefined();
    } finally {
      await mailer.close();
      silent.close();
    }
  });
});
