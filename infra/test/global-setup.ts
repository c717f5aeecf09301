import { randomBytes } from 'node:crypto';
import { createPool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { seedDemoCatalog } from '@girlycrea/db/seed';
import { startPgBouncer, withDatabase } from '@girlycrea/testkit';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

// The only place the test run reads its environment: where the machine's servers are.
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Builds one migrated, seeded template database and one PgBouncer for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `gc_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const templateUrl = withDatabase(adminUrl, template);
  await migrate(templateUrl);
  const pool = createPool({ url: templateUrl, max: 2 });
  await seedDemoCatalog(pool);
  await pool.end();

  const bouncer = await startPgBouncer({ postgresPort: Number(new URL(adminUrl).port || 5432) });
  project.provide('testDb', { adminUrl, template, pgbouncerPort: bouncer.port });
  project.provide('redisUrl', redisUrl);

  return async () => {
    await bouncer.dispose();
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.end();
  };
}
