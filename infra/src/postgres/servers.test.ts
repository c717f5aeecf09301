import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@girlycrea/db/migrate';
import { startDataTier, type DataTier } from '../data-tier.js';
import { REPO_ROOT } from '../paths.js';
import { loadSite, type Site } from '../site.js';
import { testSite } from '../testing.js';
import { postgresTuning } from './render.js';

/** Every TCP address a process listens on, from `ss -ltnp`. */
function listeningAddresses(pids: number[]): { pid: number; address: string }[] {
  const out = execFileSync('ss', ['-H', '-ltnp'], { encoding: 'utf8' });
  const found: { pid: number; address: string }[] = [];
  for (const line of out.split('\n')) {
    const address = line.trim().split(/\s+/)[3];
    for (const match of line.matchAll(/pid=(\d+)/g)) {
      const pid = Number(match[1]);
      if (address && pids.includes(pid)) found.push({ pid, address });
    }
  }
  return found;
}

/** The pids of a process and its children (postgres forks its backends; only the postmaster listens). */
function withChildren(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = out.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number)).filter(([, ppid]) => ppid === pid).map(([child]) => child as number);
  return [pid, ...children];
}

const SIZES = ['ram-2gb', 'ram-8gb', 'ram-64gb'] as const;

describe.each(SIZES)('the data tier rendered for infra/sites/%s.json', (size) => {
  let dir: string;
  let site: Site;
  let tier: DataTier;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `gc-data-${size}-`));
    const sized = await loadSite(join(REPO_ROOT, 'infra', 'sites', `${size}.json`));
    site = await testSite(dir, { machine: sized.machine, api: sized.api, web: sized.web, worker: sized.worker });
    tier = await startDataTier(site, dir);
    await migrate(tier.urls.DATABASE_DIRECT_URL as string);
  }, 300_000);

  afterAll(async () => {
    await tier?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('PostgreSQL runs with the rendered memory and connection settings', async () => {
    const client = new pg.Client({ connectionString: tier.urls.DATABASE_DIRECT_URL });
    await client.connect();
    try {
      const setting = async (name: string) => (await client.query<{ setting: string }>('SELECT current_setting($1) AS setting', [name])).rows[0]?.setting;
      const tuning = postgresTuning(site);
      expect(await setting('max_connections')).toBe(String(tuning.maxConnections));
      expect(await setting('shared_buffers')).toBe(tuning.sharedBuffersMb % 1024 === 0 ? `${tuning.sharedBuffersMb / 1024}GB` : `${tuning.sharedBuffersMb}MB`);
      expect(await setting('password_encryption')).toBe('scram-sha-256');
    } finally {
      await client.end();
    }
  });

  it('the app role, through PgBouncer, reads and writes rows but cannot drop a table, create a role or read pg_authid', async () => {
    const client = new pg.Client({ connectionString: tier.urls.DATABASE_URL });
    await client.connect();
    try {
      expect((await client.query('SELECT current_user AS who')).rows[0].who).toBe(site.postgres.appRole);
      expect((await client.query('SELECT current_setting($1) AS value', ['statement_timeout'])).rows[0].value).toBe(`${site.postgres.statementTimeoutMs / 1000}s`);
      expect(Number((await client.query('SELECT count(*) AS n FROM schema_migrations')).rows[0].n)).toBeGreaterThan(0);
      await client.query("UPDATE schema_migrations SET name = name WHERE version = '0001'");
      await expect(client.query('DROP TABLE schema_migrations')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('CREATE ROLE intruder')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('SELECT rolpassword FROM pg_authid')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });

  it('PgBouncer refuses a wrong password', async () => {
    const url = new URL(tier.urls.DATABASE_URL as string);
    url.password = 'wrong';
    const client = new pg.Client({ connectionString: url.toString() });
    await expect(client.connect()).rejects.toThrow(/SASL authentication failed|password authentication failed/);
  });

  it('both Redis instances refuse commands without the password and run their own eviction policy', async () => {
    for (const [key, policy] of [['REDIS_URL', 'noeviction'], ['REDIS_CACHE_URL', 'allkeys-lru']] as const) {
      const url = new URL(tier.urls[key] as string);
      const anonymous = new Redis({ host: url.hostname, port: Number(url.port), lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
      await anonymous.connect();
      await expect(anonymous.set('k', 'v')).rejects.toThrow(/NOAUTH/);
      anonymous.disconnect();
      const app = new Redis(url.toString());
      expect(await app.set('k', 'v')).toBe('OK');
      await expect(app.config('GET', 'maxmemory-policy')).rejects.toThrow(/NOPERM/);
      await app.quit();
      const admin = new Redis({ host: url.hostname, port: Number(url.port), username: 'admin', password: tier.secrets.REDIS_ADMIN_PASSWORD });
      expect(await admin.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', policy]);
      expect(await admin.config('GET', 'appendonly')).toEqual(['appendonly', key === 'REDIS_URL' ? 'yes' : 'no']);
      await admin.quit();
    }
  });

  it('nothing it started listens on a non-loopback address', () => {
    const { postgres, pgbouncer, redisState, redisCache } = tier.servers;
    const pids = [...withChildren(postgres.pid), pgbouncer.pid, redisState.pid, redisCache.pid];
    const addresses = listeningAddresses(pids);
    expect(new Set(addresses.map(({ pid }) => pid))).toEqual(new Set([postgres.pid, pgbouncer.pid, redisState.pid, redisCache.pid]));
    for (const { address } of addresses) expect(address).toMatch(/^(127\.0\.0\.1|\[::1\]):\d+$/);
  });
});
