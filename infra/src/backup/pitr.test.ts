import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPool, type Pool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { createOrderWriter, seedDemoCatalog } from '@girlycrea/db/seed';
import { freePort } from '@girlycrea/testkit';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { testSite } from '../testing.js';
import type { Site } from '../site.js';
import { FINGERPRINT_SQL, type DrillReport } from './drill.js';
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
let s3: S3rver | undefined;
const BUCKET = 'girlycrea-backup';

/**
 * The off-site repository's stand-in: s3rver over TLS (pgBackRest speaks only HTTPS to S3) with a
 * self-signed certificate for localhost (pgBackRest matches DNS names only) that pgBackRest trusts as its CA file: TLS stays verified.
 */
async function startS3(): Promise<{ port: number; caFile: string }> {
  const port = await freePort();
  const key = join(dir, 's3-key.pem');
  const cert = join(dir, 's3-cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert]);
  s3 = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: join(dir, 's3-data'),
    key: await readFile(key),
    cert: await readFile(cert),
    vhostBuckets: false,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  await s3.run();
  return { port, caFile: cert };
}

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
  const { port, caFile } = await startS3();
  site = await testSite(dir, { backup: { s3: { endpoint: 'localhost', port, bucket: BUCKET, region: 'us-east-1', path: '/pgbackrest', uriStyle: 'path', caFile, verifyTls: true, retentionFull: 2 } } });
  await installRendered(site, dir);
  // What provisioning writes on the VPS (root:postgres 0640): the S3 keys and the repository's encryption passphrase.
  const secrets = join(dir, 'etc', 'pgbackrest', 'conf.d', 'secrets.conf');
  await writeFile(secrets, '[global]\nrepo2-s3-key=S3RVER\nrepo2-s3-key-secret=S3RVER\nrepo2-cipher-pass=une-phrase-de-test-assez-longue\n', { mode: 0o644 });
  await writeFile(join(dir, 'site.json'), JSON.stringify(site));
  cluster = await createTestCluster(site);
  await migrate(cluster.url);
  pool = createPool({ url: cluster.url, max: 4 });
  await seedDemoCatalog(pool);
  await initStanza(site, log);
}, 120_000);

afterAll(async () => {
  if (pool && !pool.ended) await pool.end();
  await cluster?.stop('immediate').catch(() => undefined);
  await s3?.close();
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 10 });
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
    expect(full.repos.map((r) => [r.key, r.label])).toEqual([[1, expect.stringMatching(/F$/)], [2, expect.stringMatching(/F$/)]]);
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

    // The whole VPS is lost: repo1 goes with it, the off-site S3 repository alone brings back T. Restored
    // aside (--target-dir: archiving off) so this copy's new timeline never reaches the archive.
    const repo1 = site.backup.local.path;
    await cluster.stop('fast');
    await rename(repo1, `${repo1}.lost`);
    const copy = join(dir, 'from-s3', 'data');
    const copyPort = await freePort();
    const copySocket = join(dir, 'from-s3');
    const pgCtl = (...args: string[]) => run('runuser', ['-u', 'postgres', '--', join(site.backup.postgres.binDir, 'pg_ctl'), '-D', copy, '-w', '-t', '300', ...args]);
    try {
      await restore(site, { to: target, repo: 2, targetDir: copy }, log);
      await run('chown', ['postgres', copySocket]);
      await pgCtl('-l', join(copySocket, 'log'), '-o', `-p ${copyPort} -k ${copySocket} -c listen_addresses=''`, 'start');
      const local = { port: copyPort, socketDir: copySocket };
      for (let i = 0; (await psql(site, ['SELECT pg_is_in_recovery()'], local).catch(() => [['t']]))[0]?.[0] !== 'f'; i += 1) {
        if (i > 600) throw new Error('la copie restaurée depuis S3 ne s’est pas promue');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await ordersOf(site, local)).toEqual(beforeT);
      expect((await psql(site, [FINGERPRINT_SQL], local))[0]).toEqual(fingerprintAtT);
      await pgCtl('-m', 'fast', 'stop');
    } finally {
      await rename(`${repo1}.lost`, repo1);
    }

    await cluster.destroy();
    await restore(site, { to: target, repo: 1 }, log);
    await cluster.start();
    await waitPromoted();
    expect(await ordersOf()).toEqual(beforeT);
    expect((await psql(site, [FINGERPRINT_SQL]))[0]).toEqual(fingerprintAtT);
    await amcheck();
    pool = createPool({ url: cluster.url, max: 4 });
  }, 400_000);

  it('drill: restores the latest backup to a scratch cluster on its own port, verifies it, reports RTO and RPO as metrics, and removes it', async () => {
    await backupNow(site, 'diff', log);
    const writer = await createOrderWriter(pool);
    await writer.write(20);
    const { code, out } = await cli('drill');
    expect(code, out).toBe(0);
    const { drill: report } = JSON.parse(out.split('\n').find((line) => line.startsWith('{"drill"')) ?? '{}') as { drill: DrillReport };
    expect(out).toMatch(/✓ exercice réussi en [\d.]+ s : RTO [\d.]+ s, RPO [\d.]+ s/);
    expect(report.restored).toEqual(report.source);
    expect(report.source.orders).toBe((await ordersOf()).length);
    expect(report.rtoSeconds).toBeGreaterThan(0);
    expect(report.rpoSeconds).toBeGreaterThanOrEqual(0);
    expect(report.rpoSeconds).toBeLessThanOrEqual(site.backup.archiveTimeoutSeconds + 30);
    expect(existsSync(site.backup.drill.dir)).toBe(false);
    const status = await cli('status');
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/^dépôt 1 local .*: \d+ sauvegarde\(s\)/m);
    expect(status.out).toMatch(/^dépôt 2 S3 .*: \d+ sauvegarde\(s\)/m);
    expect(status.out).toMatch(/^ {2}dernière diff : \S+D, terminée/m);
    expect(status.out).toMatch(/^archiveur PostgreSQL : dernier segment [0-9A-F]{8}\S* à .* retard [\d.]+ s, échecs \d+/m);
    expect(status.out).toMatch(/^tâche drill : dernier succès \d{4}-/m);
    const prom = await readFile(metricsFile(site, 'drill'), 'utf8');
    expect(prom).toMatch(/^girlycrea_backup_last_run_success\{job="drill"\} 1$/m);
    expect(prom).toMatch(/^girlycrea_backup_drill_rto_seconds \d+(\.\d+)?$/m);
    expect(prom).toMatch(/^girlycrea_backup_drill_rpo_seconds \d+(\.\d+)?$/m);
  }, 300_000);

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
