import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRedis, createSessionStore } from '@girlycrea/cache';
import { createPool } from '@girlycrea/db';
import { hashPassword, passwordProblems } from '../modules/accounts/passwords.js';
import * as repo from '../modules/accounts/repo.js';
import { Email } from '@girlycrea/contract';

const USAGE = 'usage : npm run admin:create -- --email adresse@exemple.fr [--name "Prénom Nom"]  (mot de passe lu sur stdin, sinon généré)';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { email: { type: 'string' }, name: { type: 'string', default: 'Administratrice' } } });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();
const email = Email.safeParse(values.email ?? '');
if (!email.success) fail(`--email manquant ou invalide.\n${USAGE}`);

// Entry point: the environment names the database (direct connection) and, optionally, Redis.
const databaseUrl = process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_DIRECT_URL (ou DATABASE_URL) est requis.');

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY) return { password: randomBytes(18).toString('base64url'), generated: true };
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const password = input.split('\n')[0]?.trim() ?? '';
  return password ? { password, generated: false } : { password: randomBytes(18).toString('base64url'), generated: true };
}

const { password, generated } = await readPassword();
const problems = passwordProblems(password, { email: email.data });
if (problems.length > 0) fail(`Mot de passe refusé : ${problems.join(', ')}.`);

const pool = createPool({ url: databaseUrl, max: 1 });
try {
  const passwordHash = await hashPassword(password);
  const existing = await repo.findCustomerByEmail(pool, email.data);
  if (existing) {
    await repo.updateRole(pool, existing.id, 'admin');
    // An existing account keeps its password unless a new one was given on stdin.
    if (!generated) await repo.updatePasswordHash(pool, existing.id, passwordHash);
    // A privilege change ends the account's sessions: the next login gets a fresh, admin one.
    if (process.env.REDIS_URL) {
      const redis = createRedis({ url: process.env.REDIS_URL });
      await createSessionStore(redis).destroyAllForUser(existing.id).finally(() => redis.close());
    }
    console.log(`compte existant ${email.data} promu administratrice/administrateur.`);
  } else {
    await repo.insertCustomer(pool, { email: email.data, name: values.name, passwordHash, role: 'admin' });
    console.log(`compte administrateur créé : ${email.data}`);
  }
  if (generated && !existing) console.log(`mot de passe généré (notez-le, il ne sera plus affiché) : ${password}`);
} catch (error) {
  fail(`échec : ${(error as Error).message}\nLa base est-elle migrée ? (npm run migrate)`, 1);
} finally {
  await pool.end();
}
