// npm run bench:pgbouncer -w @girlycrea/bench -- [--clients 200] [--duration 20]: PgBouncer's worth,
// measured. pgbench with N clients straight into PostgreSQL, then the same through PgBouncer (transaction
// mode, the pool the site file sizes), both started from the files `npm run infra -- render` writes for
// infra/sites/ram-8gb.json. The ratios go into bench/results/latest.json under "pgbouncer".
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { appPoolSize, loadSite } from '@girlycrea/infra';
import { pgProgram, startDataTier, testSite } from '@girlycrea/infra/testing';
import { RESULTS_DIR, ROOT } from './paths.js';
import { describeMachine, writeResults } from './report/write.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '200' }, duration: { type: 'string', default: '20' }, scale: { type: 'string', default: '10' } } });
const clients = Number(values.clients);
const duration = Number(values.duration);
const scale = Number(values.scale);
const run = promisify(execFile);
const say = (line: string) => console.log(`[pgbouncer] ${line}`);

/** One pgbench workload: its flags (simple protocol: PgBouncer 1.18 keeps no prepared statement across transactions). */
const WORKLOADS = [
  { id: 'select-only', what: 'SELECT par clé primaire (pgbench -S)', flags: ['-S'] },
  { id: 'tpcb-like', what: 'transaction TPC-B (3 UPDATE, 1 INSERT, 1 SELECT)', flags: [] },
  { id: 'tpcb-reconnect', what: 'TPC-B, une connexion neuve par transaction (pgbench -C)', flags: ['-C'] },
] as const;

interface Measure {
  tps: number;
  latencyMs: number;
  failed: number;
  /** Clients pgbench gave up on (e.g. PgBouncer's query_wait_timeout), with the first reason. */
  abortedClients: number;
  abortReason?: string;
}

async function pgbench(url: URL, flags: readonly string[]): Promise<Measure> {
  const args = ['-h', url.hostname, '-p', url.port, '-U', url.username, '-M', 'simple', '-c', String(clients), '-j', '2', '-T', String(duration), '-n', ...flags, url.pathname.slice(1)];
  const env = { PATH: process.env.PATH, PGPASSWORD: decodeURIComponent(url.password) };
  // An aborted client makes pgbench exit 2, still printing what the others did: that is a result too.
  const { stdout, stderr } = await run(pgProgram('pgbench'), args, { env, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    if (!error.stdout?.includes('tps = ')) throw new Error(`pgbench a échoué : ${error.stderr || error.message}`);
    return { stdout: error.stdout, stderr: error.stderr ?? '' };
  });
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? Number.NaN);
  const aborted = stderr.split('\n').filter((line) => line.includes(' aborted in command'));
  return {
    tps: number(/tps = ([\d.]+)/),
    latencyMs: number(/latency average = ([\d.]+) ms/),
    failed: number(/number of failed transactions: (\d+)/) || 0,
    abortedClients: aborted.length,
    ...(aborted[0] ? { abortReason: aborted[0].replace(/^.*FATAL:\s*/, '') } : {}),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'gc-bench-pgbouncer-'));
const sized = await loadSite(join(ROOT, 'infra', 'sites', 'ram-8gb.json'));
const site = await testSite(dir, { machine: sized.machine, api: sized.api, web: sized.web, worker: sized.worker });
// The direct run needs room for every client; the PgBouncer run uses the rendered pool either way.
const maxConnections = clients + 50;
say(`PostgreSQL + PgBouncer rendus pour infra/sites/ram-8gb.json (pool ${appPoolSize(site)}), max_connections porté à ${maxConnections} pour le passage direct`);
const tier = await startDataTier(site, dir, { postgresSettings: { max_connections: String(maxConnections) } });
const results: Record<string, { what: string; direct: Measure; pgbouncer: Measure; ratio: number }> = {};
try {
  const direct = new URL(tier.urls.DATABASE_DIRECT_URL as string);
  say(`pgbench -i -s ${scale} (propriétaire, connexion directe)…`);
  await run(pgProgram('pgbench'), ['-i', '-q', '-s', String(scale), '-h', direct.hostname, '-p', direct.port, '-U', direct.username, direct.pathname.slice(1)], { env: { PATH: process.env.PATH, PGPASSWORD: decodeURIComponent(direct.password) } });
  // The app role, as the API: directly to PostgreSQL, or through PgBouncer.
  const appDirect = new URL(tier.urls.DATABASE_URL as string);
  appDirect.port = String(site.postgres.port);
  const appPooled = new URL(tier.urls.DATABASE_URL as string);
  for (const workload of WORKLOADS) {
    say(`${workload.id} : ${clients} clients, ${duration} s en direct…`);
    const straight = await pgbench(appDirect, workload.flags);
    say(`${workload.id} : ${clients} clients, ${duration} s via PgBouncer…`);
    const pooled = await pgbench(appPooled, workload.flags);
    results[workload.id] = { what: workload.what, direct: straight, pgbouncer: pooled, ratio: Number((pooled.tps / straight.tps).toFixed(3)) };
    const aborted = (m: Measure) => (m.abortedClients ? `, ${m.abortedClients} clients abandonnés : ${m.abortReason}` : '');
    say(`${workload.id} : direct ${straight.tps.toFixed(0)} tps (${straight.latencyMs} ms${aborted(straight)}), PgBouncer ${pooled.tps.toFixed(0)} tps (${pooled.latencyMs} ms${aborted(pooled)}) → ×${results[workload.id]?.ratio}`);
  }
} finally {
  await tier.stop();
  await rm(dir, { recursive: true, force: true });
}

const report = {
  measuredAt: new Date().toISOString(),
  clients,
  durationSeconds: duration,
  scale,
  pool: appPoolSize(site),
  postgresMaxConnections: maxConnections,
  loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
  machine: describeMachine(),
  results,
};
// Beside the main bench's results: the rest of latest.json is kept.
const latest = JSON.parse(await readFile(join(RESULTS_DIR, 'latest.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>;
const path = await writeResults('latest.json', { ...latest, pgbouncer: report });
await writeResults(`pgbouncer-${report.measuredAt.replace(/[:.]/g, '-')}.json`, report);
say(`résultats écrits dans ${path} (clé "pgbouncer")`);
