import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { renderAll, writeRendered } from '../render.js';
import { loadSite, type Site } from '../site.js';
import { checkedFiles } from './files.js';
import { CHECKED, checkInvariants, type CheckedFiles } from './invariants.js';

const SIZES = ['ram-2gb', 'ram-8gb', 'ram-64gb'] as const;
const siteFile = (size: string) => join(REPO_ROOT, 'infra', 'sites', `${size}.json`);

describe.each(SIZES)('infra check on infra/sites/%s.json', (size) => {
  it('finds nothing wrong in the rendered configs', async () => {
    const site = await loadSite(siteFile(size));
    expect(checkInvariants(site, await checkedFiles(site))).toEqual([]);
  });
});

describe('infra check catches a config broken on purpose, naming both sides', () => {
  let site: Site;
  let clean: CheckedFiles;

  beforeAll(async () => {
    site = await loadSite(siteFile('ram-8gb'));
    clean = await checkedFiles(site);
  });

  /** The violations after replacing `from` by `to` in one file (the replacement must apply). */
  function breakFile(path: string, from: string | RegExp, to: string): string[] {
    const files = new Map(clean);
    const before = files.get(path) as string;
    const after = before.replace(from, to);
    expect(after, `${String(from)} introuvable dans ${path}`).not.toBe(before);
    files.set(path, after);
    return checkInvariants(site, files);
  }

  it('API workers × pool + worker pool above the PgBouncer pool', () => {
    const problems = breakFile(CHECKED.ecosystem, "DATABASE_POOL_MAX: '10'", "DATABASE_POOL_MAX: '20'");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${CHECKED.ecosystem} (girlycrea-api instances 3 × DATABASE_POOL_MAX 20 + girlycrea-worker DATABASE_POOL_MAX 4 = 64)`);
    expect(problems[0]).toContain(`${CHECKED.pgbouncer} (pool_size 34, max_db_connections 34)`);
  });

  it('PgBouncer pool above max_connections minus the reserved slots', () => {
    const problems = breakFile(CHECKED.postgres, /^max_connections = \d+/m, 'max_connections = 40');
    expect(problems).toEqual([
      `${CHECKED.pgbouncer} (pool 34) > ${CHECKED.postgres} (max_connections 40 − superuser_reserved_connections 3 − site.postgres.maintenanceConnections 10 − site.postgres.backupConnections 3 = 24)`,
    ]);
  });

  it('PgBouncer pointing at another port than PostgreSQL', () => {
    const problems = breakFile(CHECKED.pgbouncer, 'port=5432', 'port=5433');
    expect(problems).toEqual([`${CHECKED.pgbouncer} ([databases] girlycrea port=5433) ≠ ${CHECKED.postgres} (port = 5432)`]);
  });

  it('shared memory + Redis + PM2 caps + OS reserve above the RAM', () => {
    const problems = breakFile(CHECKED.postgres, /^shared_buffers = \S+/m, 'shared_buffers = 6GB');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${CHECKED.postgres} \\(shared_buffers 6144 Mo \\+ wal_buffers 16 Mo\\) \\+ ${CHECKED.redisState} \\(maxmemory 328 Mo\\) \\+ ${CHECKED.redisCache} \\(maxmemory 328 Mo\\) \\+ ${CHECKED.ecosystem} \\(max_memory_restart × instances = 1956 Mo\\) \\+ réserve système 410 Mo = 9182 Mo > site.machine.ramMb 8192 Mo$`));
  });

  it('a Redis instance without maxmemory', () => {
    const problems = breakFile(CHECKED.redisCache, /^maxmemory \d+mb$/m, '');
    expect(problems).toEqual([`${CHECKED.redisCache} : maxmemory absent ou nul (Redis grandirait jusqu'à épuiser la RAM de site.machine.ramMb 8192)`]);
  });

  it('the state Redis evicting (volatile-ttl would drop the rate-limit counters first) or the cache refusing writes', () => {
    expect(breakFile(CHECKED.redisState, 'maxmemory-policy noeviction', 'maxmemory-policy volatile-ttl')).toEqual([
      `${CHECKED.redisState} (maxmemory-policy volatile-ttl, appendonly yes) : l'état (sessions, paniers, limites de débit) doit être en noeviction et appendonly yes, sinon Redis plein l'effacerait en silence`,
    ]);
    expect(breakFile(CHECKED.redisCache, 'maxmemory-policy allkeys-lru', 'maxmemory-policy noeviction')).toEqual([
      `${CHECKED.redisCache} (maxmemory-policy noeviction) : le cache doit évincer n'importe quelle clé (allkeys-lru), sinon plein il refuserait les écritures`,
    ]);
  });

  it('the Nginx upstream on another port than PM2', () => {
    const problems = breakFile(CHECKED.nginx, `server 127.0.0.1:${site.api.port};`, 'server 127.0.0.1:3005;');
    expect(problems).toEqual([`${CHECKED.nginx} (upstream gc_api server 127.0.0.1:3005) ≠ ${CHECKED.ecosystem} (girlycrea-api écoute sur 127.0.0.1:${site.api.port})`]);
  });

  it("the Nginx upstream keep-alive outliving the API's", () => {
    const problems = breakFile(CHECKED.nginx, /(upstream gc_api \{[^}]*keepalive_timeout )\d+s/, '$170s');
    expect(problems).toEqual([`${CHECKED.nginx} (upstream gc_api keepalive_timeout 70 s) ≥ ${CHECKED.apiMain} (server.keepAliveTimeout 65 s) : Nginx réutiliserait une connexion que Node a fermée (502)`]);
  });

  it("the API's keep-alive lowered below Nginx's", () => {
    const problems = breakFile(CHECKED.apiMain, 'server.keepAliveTimeout = 65_000', 'server.keepAliveTimeout = 3_000');
    expect(problems).toEqual([`${CHECKED.nginx} (upstream gc_api keepalive_timeout 4 s) ≥ ${CHECKED.apiMain} (server.keepAliveTimeout 3 s) : Nginx réutiliserait une connexion que Node a fermée (502)`]);
  });

  it("the storefront's keep-alive lowered below Nginx's", () => {
    const problems = breakFile(CHECKED.webServer, 'server.keepAliveTimeout = 65_000', 'server.keepAliveTimeout = 3_000');
    expect(problems).toEqual([`${CHECKED.nginx} (upstream gc_web keepalive_timeout 4 s) ≥ ${CHECKED.webServer} (server.keepAliveTimeout 3 s) : Nginx réutiliserait une connexion que Node a fermée (502)`]);
  });

  it('PM2 kill_timeout not above SHUTDOWN_TIMEOUT_MS', () => {
    const problems = breakFile(CHECKED.ecosystem, /kill_timeout: \d+/, 'kill_timeout: 8000');
    expect(problems).toEqual([
      `${CHECKED.ecosystem} (girlycrea-api kill_timeout 8000 ms) ≤ ${CHECKED.ecosystem} (girlycrea-api SHUTDOWN_TIMEOUT_MS 10000 ms) : PM2 tuerait le processus pendant qu'il termine ses requêtes`,
    ]);
  });

  it('Prometheus scraping other ports than the PM2 workers’', () => {
    const yml = clean.get(CHECKED.prometheus)!;
    const first = `127.0.0.1:${site.api.metricsPort}`;
    expect(yml).toContain(first);
    const problems = breakFile(CHECKED.prometheus, new RegExp(first.replaceAll('.', '\\.')), '127.0.0.1:9999');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${CHECKED.prometheus} \\(job girlycrea-api : .*9999.*\\) ≠ ${CHECKED.ecosystem.replaceAll('.', '\\.')} \\(girlycrea-api METRICS_PORT : ${site.api.metricsPort}, `));
  });

  it('two servers on one port', () => {
    const problems = breakFile(CHECKED.redisCache, /^port \d+$/m, `port ${site.redis.statePort}`);
    expect(problems).toEqual([`${CHECKED.redisState} (port) = ${CHECKED.redisCache} (port) = ${site.redis.statePort} : deux serveurs sur un même port`]);
  });

  it('two servers writing one file', () => {
    const problems = breakFile(CHECKED.redisCache, /^dir .*$/m, `dir ${site.redis.dataDir}/state`);
    expect(problems).toEqual([`${CHECKED.redisState} (dir) = ${CHECKED.redisCache} (dir) = ${site.redis.dataDir}/state : deux serveurs écriraient le même fichier`]);
  });
});

describe('npm run infra -- check DIR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gc-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the rendered tree, so a hand-edited file fails with exit code 1 and one line per violation', async () => {
    const site = await loadSite(siteFile('ram-8gb'));
    await writeRendered(dir, renderAll(site));
    const ini = join(dir, CHECKED.pgbouncer);
    await writeFile(ini, (await readFile(ini, 'utf8')).replace(/pool_size=\d+/, 'pool_size=20').replace(/max_db_connections = \d+/, 'max_db_connections = 20'));
    const cli = join(REPO_ROOT, 'infra', 'src', 'cli.ts');
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=development', cli, 'check', dir, '--site', siteFile('ram-8gb')], { cwd: REPO_ROOT }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      `✗ ${CHECKED.ecosystem} (girlycrea-api instances 3 × DATABASE_POOL_MAX 10 + girlycrea-worker DATABASE_POOL_MAX 4 = 34) > ${CHECKED.pgbouncer} (pool_size 20, max_db_connections 20) : les pools Node attendraient PgBouncer`,
    ]);
  });
});
