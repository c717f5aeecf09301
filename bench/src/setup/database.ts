import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createPool } from '@girlycrea/db';
import { countOutbox } from '@girlycrea/mailer/outbox';
import { withDatabase } from '@girlycrea/testkit';
import type { Cleanup } from '../cleanup.js';
import { progress } from '../log.js';
import { ROOT } from '../paths.js';
import { childEnv, run } from '../process.js';

/** PostgreSQL superuser URL of the machine's server (trust auth). */
export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every variant gets this stock so checkout never runs short during a run. */
const LARGE_STOCK = 10_000_000;

/** A fresh database for this run, dropped by the cleanup. */
export interface BenchDatabase {
  name: string;
  directUrl: string;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates, migrates and seeds a database with the demo catalog plus `products` generated products × 3 variants. */
export async function createBenchDatabase(cleanup: Cleanup, products: number): Promise<BenchDatabase> {
  const name = `gc_bench_${randomBytes(5).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  cleanup.defer(`base ${name}`, () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))));
  const directUrl = withDatabase(ADMIN_URL, name);
  const env = childEnv({ DATABASE_DIRECT_URL: directUrl });
  const cli = (file: string) => join(ROOT, 'packages/db/dist/cli', file);

  progress(`  base ${name} : migrations`);
  await run(process.execPath, [cli('migrate.js')], { cwd: ROOT, env });
  progress('  catalogue de démonstration');
  await run(process.execPath, [cli('seed.js')], { cwd: ROOT, env });
  progress(`  ${products} produits générés × 3 variantes`);
  await run(process.execPath, [cli('seed.js'), '--products', String(products)], { cwd: ROOT, env });

  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    await client.query('UPDATE variants SET stock = $1', [LARGE_STOCK]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return { name, directUrl };
}

/**
 * Waits until the API's outbox worker has sent every e-mail the checkout scenario queued, so the next
 * scenario (or server) does not pay for that backlog; gives up after `timeoutMs` and says so.
 */
export async function waitForOutboxDrain(directUrl: string, timeoutMs = 180_000): Promise<void> {
  const db = createPool({ url: directUrl, max: 1 });
  try {
    const started = Date.now();
    let announced = false;
    for (;;) {
      const { pending } = await countOutbox(db);
      if (pending === 0) {
        if (announced) progress(`  file d’e-mails vidée en ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return;
      }
      if (Date.now() - started > timeoutMs) {
        progress(`  ATTENTION : ${pending} e-mail(s) encore en file après ${timeoutMs / 1000} s ; la suite mesure aussi leur envoi`);
        return;
      }
      if (!announced) progress(`  ${pending} e-mail(s) de confirmation en file : attente de leur envoi avant la suite`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await db.end();
  }
}
