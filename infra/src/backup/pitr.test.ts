import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPool, type Pool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { createOrderWriter, seedDemoCatalog } from '@girlycrea/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { testSite } from '../testing.js';
import type { Site } from '../site.js';
import { drill, FINGERPRINT_SQL } from './drill.js';
import { metricsFile } from './metrics.js';
import { backupNow, initStanza, restore } from './pgbackrest.js';
import { pgbackrest, psql } from './run.js';
import { createTestCluster, installRendered, type TestCluster } from './testing.js';

const run = promisify(execFile);
const log = (line: string) => void line;

let dir: string;
let site: Site;
let cluster: TestCluster;
let pool: Pool;

async function ordersOf(target: Site = site, options: { port?: number; socketDir?: string } = {}): Promise<string[]> {
  return (await psql(target, ['SELECT id FROM orders ORDER BY id'], options)).map((row) => row[0] ?? '');
}

async function waitPromoted(): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const [row] = await psql(site, ['SELECT pg_is_in_recovery()']).catch(() => [['t']]);
    if (row?.[0] === 'f') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('le cluster restauré ne s’est pas promu');
}

/** pg_amcheck over the whole database: heap and every index. */
async function amcheck(): Promise<void> {
  const pg = site.backup.postgres;
  await run('runuser', ['-u', 'postgres', '--', join(pg.binDir, 'pg_amcheck'), '--install-missing', '--heapallindexed', '-h', pg.socketDir, '-p', String(pg.port), '-d', site.backup.database]);
}

/** `npm run infra -- backup …` as the operator runs it, with this test's site file. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const siteFile = join(dir, 'site.json');
  return run('npx', ['tsx', '--conditions=development', join(REPO_ROOT, 'infra/src/cli.ts'), 'backup', ...args, '--site', siteFile], { cwd: REPO_ROOT })
    .then(({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gc-backup-'));
  site = await testSite(dir);
  await installRendered(site, dir);
  await writeFile(join(dir, 'site.json'), JSON.stringify(site));
  cluster = await createTestCluster(site);
  await migrate(cluster.url);
  pool = createPool({ url: cluster.url, max: 4 });
  await seedDemoCatalog(pool);
  await initStanza(site, log);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop('immediate').catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pgBackRest point-in-time recovery of a cluster the test creates', () => {
  it('restores exactly the orders committed before T, then every order that reached the archive, and both pass verification', async () => {
    const writer = await createOrderWriter(pool);
    const written: string[] = [];
    let writing = true;
    const loop = (async () => {
      while (writing) {
        written.push(...(await writer.write(1)));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await pause(500);
    const full = await backupNow(site, 'full', log);
    expect(full.repos.map((r) => r.label)).toEqual([expect.stringMatching(/F$/)]);
    await pause(700);
    const { rows: [{ t: target } = { t: '' }] } = await pool.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || '+00' AS t`);
    await pause(700);
    writing = false;
    await loop;
    // Everything so far reaches the archive (WAL switch + wait); what follows stays in the unarchived segment.
    await pgbackrest(site, 'check', ['--log-level-console=warn']);
    const archived = [...written];
    const lost = await writer.write(5);

    const beforeT = (await pool.query<{ id: string }>('SELECT id FROM orders WHERE pg_xact_commit_timestamp(xmin) <= $1::timestamptz ORDER BY id', [target])).rows.map((r) => r.id);
    const [fingerprintAtT] = await psql(site, [
      `CREATE TEMP TABLE kept AS SELECT id FROM orders WHERE pg_xact_commit_timestamp(xmin) <= '${target}'`,
      FINGERPRINT_SQL.replace('FROM orders o', 'FROM orders o WHERE o.id IN (SELECT id FROM kept)')
        .replace('(SELECT count(*) FROM orders)', '(SELECT count(*) FROM kept)')
        .replace('(SELECT count(*) FROM order_lines)', '(SELECT count(*) FROM order_lines WHERE order_id IN (SELECT id FROM kept))')
        .replace('FROM order_lines l', 'FROM order_lines l WHERE l.order_id IN (SELECT id FROM kept)'),
    ]);
    expect(beforeT.length).toBeGreaterThan(10);
    expect(archived.length - beforeT.length).toBeGreaterThan(10);

    // The disk is lost: PostgreSQL dies without a shutdown checkpoint, the data directory goes.
    await pool.end();
    await cluster.stop('immediate');
    await cluster.destroy();

    await restore(site, {}, log);
    await cluster.start();
    await waitPromoted();
    const latest = await ordersOf();
    expect(latest).toEqual(expect.arrayContaining(archived));
    expect(latest.filter((id) => lost.includes(id))).toEqual([]);
    await amcheck();

    await cluster.stop('fast');
    await cluster.destroy();
    await restore(site, { to: target }, log);
    await cluster.start();
    await waitPromoted();
    expect(await ordersOf()).toEqual(beforeT);
    expect((await psql(site, [FINGERPRINT_SQL]))[0]).toEqual(fingerprintAtT);
    await amcheck();
    pool = createPool({ url: cluster.url, max: 4 });
  }, 240_000);

  it('drill: restores the latest backup to a scratch cluster on its own port, verifies it, reports RTO and RPO as metrics, and removes it', async () => {
    await backupNow(site, 'diff', log);
    const writer = await createOrderWriter(pool);
    await writer.write(20);
    const report = await drill(site, log);
    expect(report.restored).toEqual(report.source);
    expect(report.source.orders).toBe((await ordersOf()).length);
    expect(report.rtoSeconds).toBeGreaterThan(0);
    expect(report.rpoSeconds).toBeGreaterThanOrEqual(0);
    expect(report.rpoSeconds).toBeLessThanOrEqual(site.backup.archiveTimeoutSeconds + 30);
    expect(existsSync(site.backup.drill.dir)).toBe(false);

    const { code, out } = await cli('drill');
    expect(code, out).toBe(0);
    const prom = await readFile(metricsFile(site, 'drill'), 'utf8');
    expect(prom).toMatch(/^girlycrea_backup_last_run_success\{job="drill"\} 1$/m);
    expect(prom).toMatch(/^girlycrea_backup_drill_rto_seconds \d+(\.\d+)?$/m);
    expect(prom).toMatch(/^girlycrea_backup_drill_rpo_seconds \d+(\.\d+)?$/m);
  }, 180_000);

  it('a failed backup or drill exits non-zero, says what to do, and its metric shows the failure while keeping the last success', async () => {
    const before = await readFile(metricsFile(site, 'drill'), 'utf8');
    const lastSuccess = /girlycrea_backup_last_success_timestamp_seconds\{job="drill"\} (\d+)/.exec(before)?.[1];
    // The repository disappears (disk unmounted): the backup cannot write, the drill cannot restore.
    const repo = site.backup.local.path;
    await rename(repo, `${repo}.away`);
    try {
      const backup = await cli('now', '--type', 'full');
      expect(backup.code).toBe(1);
      expect(backup.out).toMatch(/✗ pgbackrest backup a échoué/);
      expect(backup.out).toMatch(/→ /);
      expect(await readFile(metricsFile(site, 'full'), 'utf8')).toMatch(/^girlycrea_backup_last_run_success\{job="full"\} 0$/m);

      const failedDrill = await cli('drill');
      expect(failedDrill.code).toBe(1);
      const after = await readFile(metricsFile(site, 'drill'), 'utf8');
      expect(after).toMatch(/^girlycrea_backup_last_run_success\{job="drill"\} 0$/m);
      expect(after).toContain(`girlycrea_backup_last_success_timestamp_seconds{job="drill"} ${lastSuccess}`);
    } finally {
      await rm(site.backup.drill.dir, { recursive: true, force: true });
      await rename(`${repo}.away`, repo);
    }
  }, 120_000);
});
