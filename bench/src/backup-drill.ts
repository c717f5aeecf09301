// `npm run backup-drill -w @girlycrea/bench`: the restore drill at shop scale (issue 17). A cluster of
// its own (initdb, archiving through pgBackRest into a temporary repository), 10,000 generated
// products and 100,000 paid orders, a full backup, more orders while the drill runs its course; then
// `backup drill` measures RTO and RPO. The figures go into bench/results/latest.json under `backupDrill`
// (`--products N --orders M` for other sizes: under `backupDrill-Np-Mo`).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { createOrderWriter, seedGeneratedCatalog, seedOrders } from '@girlycrea/db/seed';
import { backupNow, createTestCluster, drill, initStanza, installRendered } from '@girlycrea/infra/backup';
import { testSite } from '@girlycrea/infra/testing';
import { RESULTS_DIR } from './paths.js';
import { describeMachine, writeResults } from './report/write.js';

const { values } = parseArgs({ options: { products: { type: 'string', default: '10000' }, orders: { type: 'string', default: '100000' } } });
const products = Number(values.products);
const orders = Number(values.orders);
const started = performance.now();
const progress = (line: string) => console.log(`[drill ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const dir = await mkdtemp(join(tmpdir(), 'gc-drill-bench-'));
const site = await testSite(dir);
let cluster: Awaited<ReturnType<typeof createTestCluster>> | undefined;
let exitCode = 0;
try {
  await installRendered(site, dir);
  progress('cluster PostgreSQL 15 de test (initdb, archivage pgBackRest)…');
  cluster = await createTestCluster(site);
  // As on the VPS: backups are set up first and the WAL of the data that follows is archived as it comes.
  await initStanza(site, progress);
  await migrate(cluster.url);
  const pool = createPool({ url: cluster.url, max: 2 });
  const seedStarted = performance.now();
  await seedGeneratedCatalog(pool, { products, onProgress: (line) => (/000\/|^cat/.test(line) ? progress(line) : undefined) });
  await seedOrders(pool, { orders, onProgress: progress });
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const backupStarted = performance.now();
  await backupNow(site, 'full', progress);
  const backupSeconds = Math.round((performance.now() - backupStarted) / 100) / 10;
  // The shop keeps selling after the backup: the drill must replay this WAL too.
  const writer = await createOrderWriter(pool);
  for (let i = 0; i < 20; i += 1) await writer.write(50);
  await pool.end();
  progress('exercice de restauration…');
  const report = await drill(site, progress);
  const result = {
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    dataset: { products, orders: report.source.orders, orderLines: report.source.orderLines, restoredBytes: report.restoredBytes },
    seedSeconds,
    fullBackupSeconds: backupSeconds,
    rtoSeconds: report.rtoSeconds,
    rpoSeconds: report.rpoSeconds,
    drillSeconds: report.totalSeconds,
    target: report.target,
    goals: { rtoSecondsPerGiB: 600, rpoSeconds: site.backup.archiveTimeoutSeconds },
    rtoSecondsPerGiB: Math.round((report.rtoSeconds / (report.restoredBytes / 2 ** 30)) * 10) / 10,
  };
  // latest.json belongs to the load bench too: add this run's figures beside its results.
  const latest = JSON.parse(await readFile(join(RESULTS_DIR, 'latest.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>;
  // The dataset keeps the plain key; other sizes (e.g. --orders 900000 for ~1 GB) sit beside it.
  const key = products === 10_000 && orders === 100_000 ? 'backupDrill' : `backupDrill-${products}p-${orders}o`;
  const path = await writeResults('latest.json', { ...latest, [key]: result });
  await writeResults(`backup-drill-${result.finishedAt.replace(/[:.]/g, '-')}.json`, result);
  progress(`RTO ${result.rtoSeconds} s pour ${(report.restoredBytes / 2 ** 20).toFixed(0)} Mo (${result.rtoSecondsPerGiB} s/Gio, objectif ≤ 600), RPO ${result.rpoSeconds} s (objectif ≤ ${site.backup.archiveTimeoutSeconds}) — écrit dans ${path}`);
} catch (error) {
  console.error(`[drill] échec : ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await cluster?.stop('immediate').catch(() => undefined);
  // pgBackRest's asynchronous archive-push may still be finishing in the spool folder.
  await rm(dir, { recursive: true, force: true, maxRetries: 10 });
}
process.exit(exitCode);
