import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, serviceProcess, type ServiceProcess } from './net.js';

/** Where the test run's PostgreSQL and PgBouncer are; provided to every test file by the global setup. */
export interface TestDbEnv {
  /** Direct connection to the real server, as a superuser (creates and drops databases). */
  adminUrl: string;
  /** Database cloned for each test file: migrated and seeded with the demo catalog. */
  template: string;
  /** Loopback port of the run's PgBouncer (transaction pooling, any database). */
  pgbouncerPort: number;
  /** Who the app connects through PgBouncer as (default postgres, no password). */
  pooledUser?: string;
  pooledPassword?: string;
}

/** One isolated database for one test file. */
export interface TestDatabase {
  name: string;
  /** Direct to PostgreSQL: for migrations and test set-up. */
  directUrl: string;
  /** Through PgBouncer in transaction mode: what the app under test uses. */
  pooledUrl: string;
  drop(): Promise<void>;
}

/** Replaces the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement as the superuser on its own connection (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A brand-new EMPTY database (not a template clone), for tests of migrations and seeding. */
export async function createEmptyDatabase(env: Pick<TestDbEnv, 'adminUrl'>): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `gc_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(env.adminUrl, `CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(env.adminUrl, name),
    drop: () => adminQuery(env.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Clones the template into a fresh uniquely named database reachable directly and through PgBouncer. */
export async function createTestDatabase(env: TestDbEnv): Promise<TestDatabase> {
  const name = `gc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: env.adminUrl });
  await admin.connect();
  try {
    // Concurrent clones of one template can briefly see each other as "other users": retry.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${env.template}"`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  const directUrl = withDatabase(env.adminUrl, name);
  const credentials = env.pooledPassword
    ? `${encodeURIComponent(env.pooledUser ?? 'postgres')}:${encodeURIComponent(env.pooledPassword)}`
    : encodeURIComponent(env.pooledUser ?? 'postgres');
  const pooledUrl = `postgres://${credentials}@127.0.0.1:${env.pgbouncerPort}/${name}`;
  return {
    name,
    directUrl,
    pooledUrl,
    drop: () => adminQuery(env.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A PgBouncer process started for tests; `stop` and `start` simulate the database becoming unreachable. */
export interface TestPgBouncer extends ServiceProcess {
  port: number;
  /** A URL to `database` through its Unix socket: the cheaper way in for a client on the same machine. */
  socketUrl(database: string): string;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

const PGBOUNCER_PATHS = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];

/** Finds the PgBouncer binary, or explains how to install it. */
export function pgbouncerBinary(): string {
  const found = PGBOUNCER_PATHS.find((path) => existsSync(path));
  if (!found) throw new Error('PgBouncer est introuvable : installez-le (Debian : apt-get install -y pgbouncer).');
  return found;
}

/**
 * Starts PgBouncer in transaction pooling mode on a loopback port and a Unix socket, forwarding every
 * database to the PostgreSQL server at `postgresHost` (a host, or a socket directory such as
 * /var/run/postgresql) and `postgresPort`. As root it drops to the `postgres` user, as PgBouncer requires.
 */
export async function startPgBouncer(options: { postgresHost?: string; postgresPort?: number; port?: number } = {}): Promise<TestPgBouncer> {
  const binary = pgbouncerBinary();
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'gc-pgbouncer-'));
  const ini = join(dir, 'pgbouncer.ini');
  const users = join(dir, 'userlist.txt');
  await writeFile(users, '"postgres" ""\n');
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${options.postgresHost ?? '127.0.0.1'} port=${options.postgresPort ?? 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${users}`,
      'pool_mode = transaction',
      'max_client_conn = 2000',
      'default_pool_size = 20',
      'max_db_connections = 40',
      'query_wait_timeout = 10',
      'server_login_retry = 1',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    for (const path of [dir, ini, users]) chownSync(path, uid, gid);
  }
  const service = serviceProcess(binary, asRoot ? ['-u', 'postgres', ini] : [ini], port);
  await service.start();
  return {
    port,
    socketUrl: (database) => `postgres://postgres@${encodeURIComponent(dir)}:${port}/${database}`,
    ...service,
    async dispose() {
      await service.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error("l'utilisateur système postgres est introuvable (créé par le paquet PostgreSQL)", { cause: error });
  }
}
