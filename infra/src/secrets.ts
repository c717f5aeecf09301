import { createHash, randomBytes } from 'node:crypto';
import { parseEnv } from 'node:util';
import { pgbouncerUserlist } from './pgbouncer/render.js';
import { REDIS_ADMIN_USER, REDIS_APP_USER, REDIS_INSTANCES, redisInstance } from './redis/render.js';
import type { Site } from './site.js';

/** The secrets provisioning generates once on the VPS and keeps in the env file (root and the app user only). */
export const SECRET_KEYS = [
  'POSTGRES_OWNER_PASSWORD',
  'POSTGRES_APP_PASSWORD',
  'POSTGRES_MONITOR_PASSWORD',
  'REDIS_STATE_PASSWORD',
  'REDIS_CACHE_PASSWORD',
  'REDIS_ADMIN_PASSWORD',
  // POST /revalidate's shared secret (npm run deploy requires it).
  'REVALIDATE_SECRET',
  // AES-256-GCM key of the admins' TOTP secrets in the database (the API refuses to start without it).
  'TOTP_ENCRYPTION_KEY',
] as const;
export type Secrets = Record<(typeof SECRET_KEYS)[number], string>;

/** A password safe in URLs, ini files and ACL lines: 32 random bytes, base64url. */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Keeps every existing value of the env file and adds a generated password for each missing key. */
export function ensureSecrets(existing: Record<string, string | undefined>): { secrets: Secrets; generated: string[] } {
  const generated: string[] = [];
  const secrets = Object.fromEntries(
    SECRET_KEYS.map((key) => {
      const value = existing[key];
      if (value) return [key, value];
      generated.push(key);
      return [key, generatePassword()];
    }),
  ) as Secrets;
  return { secrets, generated };
}

/** The connection URLs the API, the worker and the migrations read, derived from the passwords. */
export function connectionUrls(site: Site, secrets: Secrets): Record<string, string> {
  const { postgres: pg } = site;
  const u = encodeURIComponent;
  return {
    DATABASE_URL: `postgres://${pg.appRole}:${u(secrets.POSTGRES_APP_PASSWORD)}@127.0.0.1:${site.pgbouncer.port}/${pg.database}`,
    DATABASE_DIRECT_URL: `postgres://${pg.ownerRole}:${u(secrets.POSTGRES_OWNER_PASSWORD)}@127.0.0.1:${pg.port}/${pg.database}`,
    REDIS_URL: `redis://${REDIS_APP_USER}:${u(secrets.REDIS_STATE_PASSWORD)}@127.0.0.1:${site.redis.statePort}`,
    REDIS_CACHE_URL: `redis://${REDIS_APP_USER}:${u(secrets.REDIS_CACHE_PASSWORD)}@127.0.0.1:${site.redis.cachePort}`,
  };
}

/**
 * The env file's new content: its existing lines kept in order (values of derived keys replaced), the
 * missing keys appended. Other areas add their own variables to the same file; they are left alone.
 */
export function mergeEnvFile(current: string, values: Record<string, string>): string {
  const pending = new Map(Object.entries(values));
  const lines = current.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
  const kept = lines.map((line) => {
    const key = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (!key || !pending.has(key)) return line;
    const value = pending.get(key) as string;
    pending.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of pending) kept.push(`${key}=${value}`);
  return `${kept.join('\n')}\n`;
}

/** Reads an env file's variables (empty when there is none yet). */
export function readEnv(content: string | undefined): Record<string, string | undefined> {
  return content ? parseEnv(content) : {};
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A file that holds secrets: installed with its owner and a mode only that owner (and group) can read. */
export interface SecretFile {
  /** Absolute path on the VPS. */
  path: string;
  content: string;
  mode: number;
  /** `user` or `user:group`. */
  owner: string;
}

/**
 * The files derived from the secrets: PgBouncer's userlist (plain passwords: PgBouncer needs them to
 * log in to PostgreSQL with SCRAM), each Redis instance's ACL file (SHA-256 only), and the env file.
 */
export function secretFiles(site: Site, secrets: Secrets, currentEnv: string): SecretFile[] {
  const { postgres: pg } = site;
  const q = (value: string) => `"${value.replaceAll('"', '""')}"`;
  const userlist = [
    `${q(pg.appRole)} ${q(secrets.POSTGRES_APP_PASSWORD)}`,
    `${q(pg.ownerRole)} ${q(secrets.POSTGRES_OWNER_PASSWORD)}`,
    `${q(pg.monitorRole)} ${q(secrets.POSTGRES_MONITOR_PASSWORD)}`,
    '',
  ].join('\n');
  const acls = REDIS_INSTANCES.map((name) => {
    const password = name === 'state' ? secrets.REDIS_STATE_PASSWORD : secrets.REDIS_CACHE_PASSWORD;
    return {
      path: redisInstance(site, name).aclFile,
      content: [
        // Off without a password: nobody can log in as it. Its rights are those of the client that
        // replays the AOF at start, and Redis 7.0 re-checks them for each MULTI/EXEC there (how a
        // script's writes are logged): without them every cart and session written by a script
        // would be dropped, silently, at the first restart (redis/redis#14541).
        'user default off resetpass ~* &* +@all',
        // The app may not reconfigure, replicate, shut down or flush the server.
        `user ${REDIS_APP_USER} on #${sha256(password)} ~* &* +@all -@admin -flushall -flushdb -debug`,
        `user ${REDIS_ADMIN_USER} on #${sha256(secrets.REDIS_ADMIN_PASSWORD)} ~* &* +@all`,
        '',
      ].join('\n'),
      mode: 0o640,
      owner: 'redis',
    };
  });
  return [
    { path: pgbouncerUserlist(site), content: userlist, mode: 0o640, owner: 'postgres' },
    ...acls,
    // Root writes it; PM2 (the app's user) reads it.
    { path: site.paths.secrets, content: mergeEnvFile(currentEnv, { ...secrets, ...connectionUrls(site, secrets) }), mode: 0o640, owner: `root:${site.system.user}` },
  ];
}

/** SQL setting the three roles' passwords (sent to psql on stdin, never on a command line). */
export function rolePasswordsSql(site: Site, secrets: Secrets): string {
  const { postgres: pg } = site;
  const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
  return [
    `ALTER ROLE ${pg.ownerRole} PASSWORD ${literal(secrets.POSTGRES_OWNER_PASSWORD)};`,
    `ALTER ROLE ${pg.appRole} PASSWORD ${literal(secrets.POSTGRES_APP_PASSWORD)};`,
    `ALTER ROLE ${pg.monitorRole} PASSWORD ${literal(secrets.POSTGRES_MONITOR_PASSWORD)};`,
    '',
  ].join('\n');
}
