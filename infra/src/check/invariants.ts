import { osReserveMb } from '../memory.js';
import { JOBS } from '../monitoring/layout.js';
import { prometheusTargets } from '../monitoring/targets.js';
import type { Site } from '../site.js';
import { loadEcosystem, parseConnString, parseIni, parseNginxUpstream, parsePostgresConf, parseRedisConf, toMegabytes, type Pm2App } from './parse.js';

/** The files check reads, by path relative to the render root (plus `apps/api/src/main.ts` from the repository). */
export const CHECKED = {
  ecosystem: 'etc/girlycrea/ecosystem.config.cjs',
  nginx: 'etc/nginx/conf.d/girlycrea.conf',
  postgres: 'etc/postgresql/15/main/postgresql.conf',
  pgbouncer: 'etc/pgbouncer/pgbouncer.ini',
  redisState: 'etc/redis/redis-state.conf',
  redisCache: 'etc/redis/redis-cache.conf',
  apiMain: 'apps/api/src/main.ts',
  webServer: 'apps/web/server.mjs',
  prometheus: 'etc/prometheus/prometheus.yml',
} as const;

/** Every file check reads, by path. */
export type CheckedFiles = Map<string, string>;

const API = 'girlycrea-api';
const WEB = 'girlycrea-web';
const WORKER = 'girlycrea-worker';

/**
 * Proves the rendered configs agree with each other and fit the machine. Returns one line per
 * violation, each naming both files and their values (empty: everything agrees).
 */
export function checkInvariants(site: Site, files: CheckedFiles): string[] {
  const problems: string[] = [];
  const read = (path: string): string | undefined => {
    const content = files.get(path);
    if (content === undefined) problems.push(`${path} : fichier absent`);
    return content;
  };
  const ecoText = read(CHECKED.ecosystem);
  const nginxText = read(CHECKED.nginx);
  const pgText = read(CHECKED.postgres);
  const pbText = read(CHECKED.pgbouncer);
  const stateText = read(CHECKED.redisState);
  const cacheText = read(CHECKED.redisCache);
  const mainText = read(CHECKED.apiMain);
  const webText = read(CHECKED.webServer);
  const prometheusText = read(CHECKED.prometheus);
  if (problems.length > 0) return problems;

  let apps: Pm2App[];
  try {
    apps = loadEcosystem(ecoText as string);
  } catch (error) {
    return [`${CHECKED.ecosystem} : illisible (${(error as Error).message})`];
  }
  const app = (name: string) => apps.find((candidate) => candidate.name === name);
  const api = app(API);
  const web = app(WEB);
  const worker = app(WORKER);
  for (const [name, found] of [[API, api], [WEB, web], [WORKER, worker]] as const) {
    if (!found) problems.push(`${CHECKED.ecosystem} : l'application ${name} est absente`);
  }
  if (!api || !web || !worker) return problems;

  const pg = parsePostgresConf(pgText as string);
  const ini = parseIni(pbText as string);
  const bouncer = ini.get('pgbouncer') ?? new Map<string, string>();
  const state = parseRedisConf(stateText as string);
  const cache = parseRedisConf(cacheText as string);
  const num = (value: string | number | undefined) => (value === undefined || value === '' ? Number.NaN : Number(value));
  const instances = (pm2: Pm2App) => num(pm2.instances ?? 1);
  const envNumber = (pm2: Pm2App, key: string) => num(pm2.env?.[key]);
  const argAfter = (pm2: Pm2App, flag: string) => {
    const args = Array.isArray(pm2.args) ? pm2.args : String(pm2.args ?? '').split(/\s+/);
    const at = args.indexOf(flag);
    return at >= 0 ? num(args[at + 1]) : Number.NaN;
  };

  // 1. Every Node pool fits in PgBouncer's server pool.
  const database = site.postgres.database;
  const dbLine = ini.get('databases')?.get(database) ?? ini.get('databases')?.get('*');
  const db = parseConnString(dbLine ?? '');
  const poolSize = num(db.get('pool_size') ?? bouncer.get('default_pool_size'));
  const maxDb = num(bouncer.get('max_db_connections') ?? '0');
  const bouncerPool = maxDb > 0 ? Math.min(poolSize, maxDb) : poolSize;
  const nodeNeed = instances(api) * envNumber(api, 'DATABASE_POOL_MAX') + envNumber(worker, 'DATABASE_POOL_MAX');
  if (!dbLine) problems.push(`${CHECKED.pgbouncer} : la base ${database} (site.postgres.database) n'est pas dans [databases]`);
  else if (!(nodeNeed <= bouncerPool)) {
    problems.push(
      `${CHECKED.ecosystem} (${API} instances ${api.instances} × DATABASE_POOL_MAX ${api.env?.DATABASE_POOL_MAX} + ${WORKER} DATABASE_POOL_MAX ${worker.env?.DATABASE_POOL_MAX} = ${nodeNeed}) > ${CHECKED.pgbouncer} (pool_size ${poolSize}, max_db_connections ${maxDb || 'illimité'}) : les pools Node attendraient PgBouncer`,
    );
  }

  // 2. PgBouncer's pool fits in PostgreSQL's connections, minus the reserved slots.
  const maxConnections = num(pg.get('max_connections') ?? '100');
  const superuserReserved = num(pg.get('superuser_reserved_connections') ?? '3');
  const reserved = superuserReserved + site.postgres.maintenanceConnections + site.postgres.backupConnections;
  if (!(bouncerPool <= maxConnections - reserved)) {
    problems.push(
      `${CHECKED.pgbouncer} (pool ${bouncerPool}) > ${CHECKED.postgres} (max_connections ${maxConnections} − superuser_reserved_connections ${superuserReserved} − site.postgres.maintenanceConnections ${site.postgres.maintenanceConnections} − site.postgres.backupConnections ${site.postgres.backupConnections} = ${maxConnections - reserved})`,
    );
  }
  // PgBouncer points at this PostgreSQL.
  if (num(db.get('port') ?? '5432') !== num(pg.get('port') ?? '5432')) {
    problems.push(`${CHECKED.pgbouncer} ([databases] ${database} port=${db.get('port') ?? '5432'}) ≠ ${CHECKED.postgres} (port = ${pg.get('port') ?? '5432'})`);
  }

  // 3. Memory: PostgreSQL's shared memory + both Redis maxmemory + PM2's caps + the OS reserve fit in RAM.
  const sharedBuffers = toMegabytes(pg.get('shared_buffers') ?? '128MB', 8);
  const walBuffers = toMegabytes(pg.get('wal_buffers') ?? '16MB', 8);
  const redisState = toMegabytes(state.get('maxmemory') ?? '0', 1 / 1024);
  const redisCache = toMegabytes(cache.get('maxmemory') ?? '0', 1 / 1024);
  for (const [path, mb] of [[CHECKED.redisState, redisState], [CHECKED.redisCache, redisCache]] as const) {
    if (!(mb > 0)) problems.push(`${path} : maxmemory absent ou nul (Redis grandirait jusqu'à épuiser la RAM de site.machine.ramMb ${site.machine.ramMb})`);
  }
  const cap = (pm2: Pm2App) => toMegabytes(String(pm2.max_memory_restart ?? 'NaN').replace(/M$/i, 'MB').replace(/G$/i, 'GB'), 1 / 1024);
  const pm2Caps = instances(api) * cap(api) + instances(web) * cap(web) + instances(worker) * cap(worker);
  const reserve = osReserveMb(site);
  const total = Math.round(sharedBuffers + walBuffers + redisState + redisCache + pm2Caps + reserve);
  if (!(total <= site.machine.ramMb)) {
    problems.push(
      `${CHECKED.postgres} (shared_buffers ${Math.round(sharedBuffers)} Mo + wal_buffers ${Math.round(walBuffers)} Mo) + ${CHECKED.redisState} (maxmemory ${Math.round(redisState)} Mo) + ${CHECKED.redisCache} (maxmemory ${Math.round(redisCache)} Mo) + ${CHECKED.ecosystem} (max_memory_restart × instances = ${Math.round(pm2Caps)} Mo) + réserve système ${reserve} Mo = ${total} Mo > site.machine.ramMb ${site.machine.ramMb} Mo`,
    );
  }

  // 3b. The Redis roles (README "Security"): the state never evicts and persists; the cache evicts any key.
  const statePolicy = state.get('maxmemory-policy') ?? 'noeviction';
  if (statePolicy !== 'noeviction' || state.get('appendonly') !== 'yes') {
    problems.push(
      `${CHECKED.redisState} (maxmemory-policy ${statePolicy}, appendonly ${state.get('appendonly') ?? 'no'}) : l'état (sessions, paniers, limites de débit) doit être en noeviction et appendonly yes, sinon Redis plein l'effacerait en silence`,
    );
  }
  const cachePolicy = cache.get('maxmemory-policy') ?? 'noeviction';
  if (!cachePolicy.startsWith('allkeys-')) {
    problems.push(`${CHECKED.redisCache} (maxmemory-policy ${cachePolicy}) : le cache doit évincer n'importe quelle clé (allkeys-lru), sinon plein il refuserait les écritures`);
  }

  // 4. Nginx's upstreams are where PM2 listens; 5. their keep-alive ends before Node's.
  const keepAliveSeconds = (source: string) => num(/server\.keepAliveTimeout\s*=\s*([\d_]+)/.exec(source)?.[1]?.replaceAll('_', '')) / 1000;
  const nodeKeepAlive = {
    [API]: { seconds: keepAliveSeconds(mainText as string), where: `${CHECKED.apiMain} (server.keepAliveTimeout` },
    [WEB]: { seconds: keepAliveSeconds(webText as string), where: `${CHECKED.webServer} (server.keepAliveTimeout` },
  };
  const webPort = Number.isFinite(envNumber(web, 'PORT')) ? envNumber(web, 'PORT') : argAfter(web, '--port');
  for (const [upstream, pm2, port] of [['gc_api', api, envNumber(api, 'PORT')], ['gc_web', web, webPort]] as const) {
    const block = parseNginxUpstream(nginxText as string, upstream);
    if (!block) {
      problems.push(`${CHECKED.nginx} : upstream ${upstream} absent`);
      continue;
    }
    const expected = `127.0.0.1:${port}`;
    if (block.servers.length !== 1 || block.servers[0] !== expected) {
      problems.push(`${CHECKED.nginx} (upstream ${upstream} server ${block.servers.join(', ') || 'aucun'}) ≠ ${CHECKED.ecosystem} (${pm2.name} écoute sur ${expected})`);
    }
    const node = nodeKeepAlive[pm2.name as typeof API | typeof WEB];
    const nginxKeepAlive = block.keepaliveTimeoutSeconds ?? 60;
    if (!(nginxKeepAlive < node.seconds)) {
      problems.push(`${CHECKED.nginx} (upstream ${upstream} keepalive_timeout ${nginxKeepAlive} s) ≥ ${node.where} ${node.seconds} s) : Nginx réutiliserait une connexion que Node a fermée (502)`);
    }
  }

  // 6. PM2 waits for a graceful shutdown before killing.
  for (const pm2 of [api, web, worker]) {
    if (pm2.env?.SHUTDOWN_TIMEOUT_MS === undefined) continue;
    const shutdown = envNumber(pm2, 'SHUTDOWN_TIMEOUT_MS');
    const kill = num(pm2.kill_timeout ?? 1600);
    if (!(kill > shutdown)) {
      problems.push(`${CHECKED.ecosystem} (${pm2.name} kill_timeout ${kill} ms) ≤ ${CHECKED.ecosystem} (${pm2.name} SHUTDOWN_TIMEOUT_MS ${shutdown} ms) : PM2 tuerait le processus pendant qu'il termine ses requêtes`);
    }
  }

  // 9. Prometheus scrapes exactly the PM2 workers' metrics ports, and the worker process's.
  for (const [job, pm2, expected] of [
    [JOBS.api, api, Array.from({ length: instances(api) }, (_, i) => envNumber(api, 'METRICS_PORT') + i)],
    [JOBS.worker, worker, [envNumber(worker, 'METRICS_PORT')]],
  ] as const) {
    let scraped: number[];
    try {
      scraped = prometheusTargets(prometheusText as string, job);
    } catch (error) {
      problems.push(`${CHECKED.prometheus} : ${(error as Error).message}`);
      continue;
    }
    if ([...scraped].sort().join(',') !== [...expected].sort().join(',')) {
      problems.push(
        `${CHECKED.prometheus} (job ${job} : ${scraped.join(', ') || 'aucune cible'}) ≠ ${CHECKED.ecosystem} (${pm2.name} METRICS_PORT : ${expected.join(', ')}) : des workers ne seraient pas surveillés`,
      );
    }
  }

  // 7. Every port is claimed once.
  problems.push(...duplicatePorts({ api, web, worker, pg, bouncer, state, cache, nginx: nginxText as string }));
  // 8. Every file a server writes (data, pid, log, socket) is its own.
  problems.push(...duplicatePaths({ pg, bouncer, state, cache }));
  return problems;
}

function duplicatePorts(
  from: { api: Pm2App; web: Pm2App; worker: Pm2App; pg: Map<string, string>; bouncer: Map<string, string>; state: Map<string, string>; cache: Map<string, string>; nginx: string },
): string[] {
  const claims: { port: number; who: string }[] = [];
  const claim = (port: number, who: string) => Number.isFinite(port) && claims.push({ port, who });
  claim(Number(from.api.env?.PORT), `${CHECKED.ecosystem} (${API} PORT)`);
  const apiMetrics = Number(from.api.env?.METRICS_PORT);
  for (let i = 0; i < Number(from.api.instances ?? 1); i += 1) claim(apiMetrics + i, `${CHECKED.ecosystem} (${API} METRICS_PORT + ${i})`);
  const webArgs = Array.isArray(from.web.args) ? from.web.args : [];
  claim(Number(from.web.env?.PORT ?? webArgs[webArgs.indexOf('--port') + 1]), `${CHECKED.ecosystem} (${WEB} PORT)`);
  claim(Number(from.worker.env?.METRICS_PORT), `${CHECKED.ecosystem} (${WORKER} METRICS_PORT)`);
  claim(Number(from.pg.get('port') ?? 5432), `${CHECKED.postgres} (port)`);
  claim(Number(from.bouncer.get('listen_port') ?? 6432), `${CHECKED.pgbouncer} (listen_port)`);
  claim(Number(from.state.get('port') ?? 6379), `${CHECKED.redisState} (port)`);
  claim(Number(from.cache.get('port') ?? 6379), `${CHECKED.redisCache} (port)`);
  // Nginx's own listen ports: the same port on IPv4 and IPv6 is one claim.
  const nginxPorts = new Set([...from.nginx.matchAll(/^\s*listen\s+(?:\[[^\]]*\]:|[\d.]+:)?(\d+)/gm)].map((m) => Number(m[1])));
  for (const port of nginxPorts) claim(port, `${CHECKED.nginx} (listen ${port})`);
  const problems: string[] = [];
  for (const [i, a] of claims.entries()) {
    const b = claims.slice(i + 1).find((other) => other.port === a.port);
    if (b) problems.push(`${a.who} = ${b.who} = ${a.port} : deux serveurs sur un même port`);
  }
  return problems;
}

function duplicatePaths(from: { pg: Map<string, string>; bouncer: Map<string, string>; state: Map<string, string>; cache: Map<string, string> }): string[] {
  const claims: { path: string; who: string }[] = [];
  const claim = (path: string | undefined, who: string) => path && claims.push({ path: path.replace(/\/+$/, ''), who });
  claim(from.pg.get('data_directory'), `${CHECKED.postgres} (data_directory)`);
  claim(from.pg.get('external_pid_file'), `${CHECKED.postgres} (external_pid_file)`);
  claim(from.bouncer.get('pidfile'), `${CHECKED.pgbouncer} (pidfile)`);
  claim(from.bouncer.get('logfile'), `${CHECKED.pgbouncer} (logfile)`);
  for (const [path, redis] of [[CHECKED.redisState, from.state], [CHECKED.redisCache, from.cache]] as const) {
    claim(redis.get('dir'), `${path} (dir)`);
    claim(redis.get('pidfile'), `${path} (pidfile)`);
    claim(redis.get('logfile'), `${path} (logfile)`);
    claim(redis.get('aclfile'), `${path} (aclfile)`);
  }
  const problems: string[] = [];
  for (const [i, a] of claims.entries()) {
    const b = claims.slice(i + 1).find((other) => other.path === a.path);
    if (b) problems.push(`${a.who} = ${b.who} = ${a.path} : deux serveurs écriraient le même fichier`);
  }
  return problems;
}
