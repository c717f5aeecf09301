import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pgbouncerBinary } from '@girlycrea/testkit';
import { psqlAsPostgres, pgProgram } from './postgres/cluster.js';
import { renderAll, writeRendered, type RenderedFile } from './render.js';
import { REDIS_ADMIN_USER, REDIS_INSTANCES, redisInstance, renderRedis, type RedisInstance } from './redis/render.js';
import { connectionUrls, ensureSecrets, rolePasswordsSql, secretFiles, type Secrets } from './secrets.js';
import type { Site } from './site.js';
import { chownTo, run, startServer, type StartedServer } from './system.js';

/** PostgreSQL, PgBouncer and both Redis instances, started from the site's rendered files. */
export interface DataTier {
  files: RenderedFile[];
  secrets: Secrets;
  /** DATABASE_URL, DATABASE_DIRECT_URL, REDIS_URL, REDIS_CACHE_URL as provisioning writes them. */
  urls: Record<string, string>;
  servers: Record<TierServer, StartedServer>;
  /**
   * Stops one server (PostgreSQL by its fast shutdown, or by `signal`); the function returned starts
   * it again from the same files.
   */
  takeDown(name: TierServer, signal?: NodeJS.Signals): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** The servers of a data tier. */
export type TierServer = 'postgres' | 'pgbouncer' | 'redisState' | 'redisCache';

/**
 * For tests and benches: renders the site under `root` (its paths must lie there, see testSite),
 * writes the secret files, initdb's a cluster into site.postgres.dataDir, starts the four servers
 * from the rendered configs (postgres and PgBouncer as the postgres account, as Debian's units do)
 * and applies the rendered roles SQL. `postgresSettings` override the rendered file on the command
 * line (the PgBouncer bench lets 200 clients in directly).
 */
export async function startDataTier(site: Site, root: string, options: { postgresSettings?: Record<string, string> } = {}): Promise<DataTier> {
  const files = renderAll(site);
  await writeRendered(root, files);
  // Redis runs as root here, so only the postgres account's files change hands.
  for (const file of files) if (file.owner === 'postgres') await chownTo('postgres', join(root, file.path));
  const { secrets } = ensureSecrets({});
  for (const file of secretFiles(site, secrets, '')) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, { mode: file.mode });
    await chmod(file.path, file.mode);
    if (file.owner === 'postgres') await chownTo('postgres', file.path);
  }
  const stopped: StartedServer[] = [];
  const stop = async () => {
    for (const server of stopped.reverse()) await server.stop();
  };
  try {
    const pg = site.postgres;
    for (const path of [dirname(pg.dataDir), pg.dataDir, pg.runDir, site.pgbouncer.runDir]) {
      await mkdir(path, { recursive: true, mode: 0o700 });
      await chownTo('postgres', path);
    }
    run(pgProgram('initdb'), ['-D', pg.dataDir, '-U', 'postgres', '--auth-local=peer', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'], { user: 'postgres', cwd: '/' });
    const conf = join(site.paths.etc, 'postgresql', '15', 'main', 'postgresql.conf');
    const overrides = Object.entries(options.postgresSettings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const launch: Record<TierServer, () => Promise<StartedServer>> = {
      postgres: () => startServer(pgProgram('postgres'), ['-c', `config_file=${conf}`, ...overrides], { port: pg.port, user: 'postgres', timeoutMs: 120_000 }),
      pgbouncer: () => startServer(pgbouncerBinary(), [join(site.paths.etc, 'pgbouncer', 'pgbouncer.ini')], { port: site.pgbouncer.port, user: 'postgres' }),
      redisState: () => startServer('redis-server', [redisInstance(site, 'state').conf], { port: site.redis.statePort }),
      redisCache: () => startServer('redis-server', [redisInstance(site, 'cache').conf], { port: site.redis.cachePort }),
    };
    const postgres = await launch.postgres();
    stopped.push(postgres);
    psqlAsPostgres(site, await readFile(join(site.paths.etc, 'girlycrea', 'postgres-roles.sql'), 'utf8'));
    psqlAsPostgres(site, rolePasswordsSql(site, secrets));

    const pgbouncer = await launch.pgbouncer();
    stopped.push(pgbouncer);

    const redis = await startRedisInstances(site, stopped);
    const servers: Record<TierServer, StartedServer> = { postgres, pgbouncer, redisState: redis.state, redisCache: redis.cache };
    return {
      files,
      secrets,
      urls: connectionUrls(site, secrets),
      servers,
      async takeDown(name, signal) {
        await servers[name].stop(signal ?? (name === 'postgres' ? 'SIGINT' : 'SIGTERM'));
        return async () => {
          servers[name] = await launch[name]();
          stopped.push(servers[name]);
        };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts both Redis instances from their rendered configs (already written), each pushed on `started`. */
async function startRedisInstances(site: Site, started: StartedServer[], args: Partial<Record<RedisInstance, string[]>> = {}): Promise<Record<RedisInstance, StartedServer>> {
  const servers: Partial<Record<RedisInstance, StartedServer>> = {};
  for (const name of REDIS_INSTANCES) {
    const instance = redisInstance(site, name);
    await mkdir(instance.dir, { recursive: true });
    await mkdir(dirname(instance.pidFile), { recursive: true });
    await mkdir(dirname(instance.logFile), { recursive: true });
    const server = await startServer('redis-server', [instance.conf, ...(args[name] ?? [])], { port: instance.port });
    started.push(server);
    servers[name] = server;
  }
  return servers as Record<RedisInstance, StartedServer>;
}

/** The two Redis instances of a site, started alone from their rendered configs and ACL files. */
export interface RedisTier {
  /** The app's URLs (REDIS_URL, REDIS_CACHE_URL) and the admin user's, per instance. */
  urls: Record<RedisInstance, string>;
  adminUrls: Record<RedisInstance, string>;
  servers: Record<RedisInstance, StartedServer>;
  stop(): Promise<void>;
}

/**
 * For tests of the Redis roles: renders the site's Redis files under `root` (its paths must lie there,
 * see testSite), writes their ACL files and starts both instances. `args` are appended to an
 * instance's command line, after its config file (e.g. `['--maxmemory', '3mb']`).
 */
export async function startRedisTier(site: Site, root: string, options: { args?: Partial<Record<RedisInstance, string[]>> } = {}): Promise<RedisTier> {
  await writeRendered(root, renderRedis(site));
  const { secrets } = ensureSecrets({});
  for (const file of secretFiles(site, secrets, '')) {
    if (file.owner !== 'redis') continue;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content, { mode: file.mode });
  }
  const started: StartedServer[] = [];
  const stop = async () => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const servers = await startRedisInstances(site, started, options.args);
    const urls = connectionUrls(site, secrets);
    const admin = (port: number) => `redis://${REDIS_ADMIN_USER}:${encodeURIComponent(secrets.REDIS_ADMIN_PASSWORD)}@127.0.0.1:${port}`;
    return {
      urls: { state: urls.REDIS_URL as string, cache: urls.REDIS_CACHE_URL as string },
      adminUrls: { state: admin(site.redis.statePort), cache: admin(site.redis.cachePort) },
      servers,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
