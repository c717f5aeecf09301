import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { seedDemoCatalog } from '@girlycrea/db/seed';
import { pgbouncerBinary, withDatabase } from '@girlycrea/testkit';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { psqlAt } from '../src/postgres/cluster.js';
import { appGrantsSql, createRolesSql } from '../src/postgres/render.js';
import { renderPgBouncer } from '../src/pgbouncer/render.js';
import { writeRendered } from '../src/render.js';
import { ensureSecrets, secretFiles } from '../src/secrets.js';
import { chownTo, startServer } from '../src/system.js';
import { testSite } from '../src/testing.js';

// The only place the test run reads its environment: where the machine's servers are.
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The run's roles: fixed names (roles are cluster-wide), created if missing, never dropped. */
const ROLES = { ownerRole: 'gc_test_owner', appRole: 'gc_test_app', monitorRole: 'gc_test_monitor' };

/**
 * Builds one migrated, seeded template database owned by the owner role, and starts PgBouncer from
 * the RENDERED pgbouncer.ini (the VPS's, forwarding every database name): the suites connect through
 * it as the app role, with the VPS's privileges and per-role timeouts, never as a superuser.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'gc-suite-'));
  const site = await testSite(dir, { postgres: { port: Number(new URL(adminUrl).port || 5432), ...ROLES }, pgbouncer: { allDatabases: true } });
  // Two runs at once may both try to create the roles: the loser retries and finds them.
  for (let attempt = 1; ; attempt += 1) {
    try {
      psqlAt(adminUrl, createRolesSql(site));
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }

  const template = `gc_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}" OWNER ${ROLES.ownerRole}`);
  const templateUrl = withDatabase(adminUrl, template);
  psqlAt(templateUrl, appGrantsSql(site));
  const ownerUrl = new URL(templateUrl);
  ownerUrl.username = ROLES.ownerRole;
  await migrate(ownerUrl.toString());
  const pool = createPool({ url: ownerUrl.toString(), max: 2 });
  await seedDemoCatalog(pool);
  await pool.end();

  const { secrets } = ensureSecrets({});
  await writeRendered(dir, renderPgBouncer(site));
  const userlist = secretFiles(site, secrets, '').find((file) => file.owner === 'postgres');
  if (!userlist) throw new Error('userlist PgBouncer non produite');
  await mkdir(dirname(userlist.path), { recursive: true });
  await writeFile(userlist.path, userlist.content);
  await chmod(userlist.path, userlist.mode);
  await mkdir(site.pgbouncer.runDir, { recursive: true });
  const ini = join(site.paths.etc, 'pgbouncer', 'pgbouncer.ini');
  await chownTo('postgres', site.pgbouncer.runDir, ini, userlist.path);
  const bouncer = await startServer(pgbouncerBinary(), [ini], { port: site.pgbouncer.port, user: 'postgres' });

  project.provide('testDb', {
    adminUrl,
    template,
    pgbouncerPort: site.pgbouncer.port,
    pooledUser: ROLES.appRole,
    pooledPassword: secrets.POSTGRES_APP_PASSWORD,
  });
  project.provide('redisUrl', redisUrl);

  return async () => {
    await bouncer.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  };
}
