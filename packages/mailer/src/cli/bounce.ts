// The bounce handler Postfix pipes each DSN to (master.cf `girlycrea-bounce`, rendered by infra):
// reads one message on stdin and marks every address it reports as refused for good undeliverable.
// Exit codes follow pipe(8): 0 done (a message that is no DSN is dropped, with a line in Postfix's
// log), 75 try again later (database unreachable): Postfix keeps the DSN queued and retries.
import { createPool } from '@girlycrea/db';
import { markUndeliverable, parseBounce } from '../bounces.js';

const EX_TEMPFAIL = 75;
const EX_USAGE = 64;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('bounce : DATABASE_URL manquant (fichier de secrets du VPS)\n');
  process.exit(EX_TEMPFAIL);
}

const raw = await readStdin();
if (raw.length === 0) {
  process.stderr.write('bounce : aucun message sur l’entrée standard (usage : bounce < message.eml)\n');
  process.exit(EX_USAGE);
}
const bounced = parseBounce(raw);
if (bounced.length === 0) {
  process.stdout.write('bounce : aucun destinataire refusé définitivement dans ce message, ignoré\n');
  process.exit(0);
}
const pool = createPool({ url, max: 1, applicationName: 'girlycrea-bounce' });
try {
  for (const recipient of bounced) {
    await markUndeliverable(pool, recipient.address, 'dsn', `${recipient.status} ${recipient.diagnostic}`.trim());
    process.stdout.write(`bounce : ${recipient.address} marquée non distribuable (${recipient.status})\n`);
  }
} catch (error) {
  process.stderr.write(`bounce : base de données injoignable, Postfix réessaiera (${(error as Error).message})\n`);
  process.exitCode = EX_TEMPFAIL;
} finally {
  await pool.end();
}
