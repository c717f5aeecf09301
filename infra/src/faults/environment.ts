import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiProcess, type ApiProcess } from '@girlycrea/api/testing';
import { createPool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { seedDemoCatalog } from '@girlycrea/db/seed';
import { eventually, freePort, waitForPort } from '@girlycrea/testkit';
import pg from 'pg';
import { startDataTier, type DataTier } from '../data-tier.js';
import { testSite } from '../testing.js';

/** The servers the suite takes away from the API, one at a time. */
export const FAULT_SERVICES = ['postgres', 'pgbouncer', 'redisState', 'redisCache', 'smtp'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** One message the SMTP sink acknowledged. */
export interface JournalEntry {
  messageId: string;
  to: string[];
}

/** A private shop on loopback: the data tier from the rendered configs, an SMTP sink, the API and its jobs process. */
export interface FaultEnvironment {
  /** `http://127.0.0.1:<port>` of the API. */
  apiUrl: string;
  /** A variant with stock for every order the suite places. */
  variantId: string;
  /** Queries PostgreSQL directly, as the owner (only between faults: it is not under test). */
  sql<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
  /** Every message the SMTP sink acknowledged, in order. */
  journal(): Promise<JournalEntry[]>;
  /** Kills `service` (PostgreSQL: the postmaster and every backend, as a crash does); the function returned brings it back. */
  kill(service: FaultService): Promise<() => Promise<void>>;
  /** SIGSTOP to `service` (PostgreSQL: every process of the cluster); the function returned sends SIGCONT. */
  freeze(service: FaultService): () => void;
  /** The API's and the jobs process's output, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

const SINK_ENTRY = fileURLToPath(new URL('./smtp-sink-process.ts', import.meta.url));

/** A loaded SMTP sink process, not listening yet: `listen` makes it serve on its port. */
interface SinkProcess {
  child: ChildProcess;
  listen(): Promise<void>;
}

/** Forks the SMTP sink for `port`, journaling to `journal`; resolves once it is loaded. */
async function loadSinkProcess(port: number, journal: string): Promise<SinkProcess> {
  const child = fork(SINK_ENTRY, [String(port), journal], { execArgv: ['--import', 'tsx', '--conditions=development'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`le puits SMTP s'est arrêté (${String(code)})`);
  });
  exited.catch(() => undefined);
  await Promise.race([once(child, 'message'), exited]);
  return {
    child,
    async listen() {
      child.send('listen');
      await Promise.race([once(child, 'message'), exited]);
      await waitForPort(port);
    },
  };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** The pids of `pid`'s children (PostgreSQL's backends and auxiliary processes). */
function childrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === pid)
    .map(([child]) => child as number);
}

/**
 * Starts everything under a temporary folder, on free loopback ports: PostgreSQL 15 (initdb), PgBouncer
 * and both Redis instances from the site's rendered configs, the schema and demo catalog, an SMTP
 * sink process, then the API (JOBS=off) and the jobs process, as PM2 runs them on the VPS.
 */
export async function startFaultEnvironment(): Promise<FaultEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'gc-faults-'));
  const site = await testSite(dir);
  let tier: DataTier | undefined;
  let sink: SinkProcess | undefined;
  // Loaded ahead (tsx takes seconds on a busy machine): a killed sink is replaced as soon as asked.
  let spare: Promise<SinkProcess> | undefined;
  const processes: ApiProcess[] = [];
  let admin: pg.Pool | undefined;
  const close = async () => {
    await Promise.allSettled(processes.map(({ child }) => stopChild(child, 'SIGTERM')));
    if (sink) await stopChild(sink.child, 'SIGKILL');
    if (spare) await stopChild((await spare).child, 'SIGKILL');
    await admin?.end();
    await tier?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    tier = await startDataTier(site, dir);
    const urls = tier.urls as Record<'DATABASE_URL' | 'DATABASE_DIRECT_URL' | 'REDIS_URL' | 'REDIS_CACHE_URL', string>;
    await migrate(urls.DATABASE_DIRECT_URL);
    admin = new pg.Pool({ connectionString: urls.DATABASE_DIRECT_URL, max: 2 });
    // Its idle connections die with each PostgreSQL fault; the pool replaces them.
    admin.on('error', () => undefined);
    const seedPool = createPool({ url: urls.DATABASE_DIRECT_URL, max: 2 });
    await seedDemoCatalog(seedPool);
    await seedPool.end();
    const { rows } = await admin.query<{ id: string }>(
      `UPDATE variants SET stock = 1000000, max_per_order = NULL
        WHERE id = (SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
                     WHERE v.status = 'active' AND p.status = 'active' ORDER BY v.sku LIMIT 1)
       RETURNING id`,
    );
    const variantId = rows[0]!.id;

    const smtpPort = await freePort();
    const journal = join(dir, 'smtp-journal.ndjson');
    const nextSink = () => {
      spare = loadSinkProcess(smtpPort, journal);
      spare.catch(() => undefined);
    };
    sink = await loadSinkProcess(smtpPort, journal);
    await sink.listen();
    nextSink();

    const apiPort = await freePort();
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: urls.DATABASE_URL,
      DATABASE_DIRECT_URL: urls.DATABASE_DIRECT_URL,
      REDIS_URL: urls.REDIS_URL,
      REDIS_CACHE_URL: urls.REDIS_CACHE_URL,
      PAYMENT_TEST_PROVIDER: 'on',
      DATA_DIR: dir,
      UPLOADS_DIR: site.paths.uploads,
    };
    const api = startApiProcess({ ...common, PORT: String(apiPort), METRICS_PORT: String(await freePort()), JOBS: 'off' });
    processes.push(api);
    // The jobs process waits for its queries as long as the server lets them run, as PM2 starts it.
    const jobs = startApiProcess(
      { ...common, METRICS_PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DATABASE_QUERY_TIMEOUT_MS: String(site.postgres.statementTimeoutMs + 1000) },
      'worker-entry.ts',
    );
    processes.push(jobs);
    await Promise.all([api.ready, jobs.ready]);

    const liveTier = tier;
    return {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      variantId,
      sql: async (text, params) => (await admin!.query(text, params)).rows,
      journal: async () =>
        (await readFile(journal, 'utf8').catch(() => ''))
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as JournalEntry),
      async kill(service) {
        if (service === 'smtp') {
          await stopChild(sink!.child, 'SIGKILL');
          return async () => {
            sink = await spare!;
            nextSink();
            await sink.listen();
          };
        }
        if (service === 'postgres') {
          // Frozen first, so the postmaster cannot react to its backends dying: the whole cluster
          // dies at once, as in a crash (the restart runs crash recovery).
          const postmaster = liveTier.servers.postgres.pid;
          process.kill(postmaster, 'SIGSTOP');
          for (const pid of childrenOf(postmaster)) process.kill(pid, 'SIGKILL');
        }
        const restart = await liveTier.takeDown(service, 'SIGKILL');
        if (service !== 'postgres') return restart;
        // PostgreSQL listens before its crash recovery ends: it is back once it runs a query.
        return async () => {
          await restart();
          await eventually(async () => (await admin!.query('SELECT 1')).rowCount === 1, 60_000, 20);
        };
      },
      freeze(service) {
        const pid = service === 'smtp' ? sink!.child.pid! : liveTier.servers[service].pid;
        process.kill(pid, 'SIGSTOP');
        // The postmaster first: stopped, it forks no backend the list would miss.
        const pids = [pid, ...(service === 'postgres' ? childrenOf(pid) : [])];
        for (const child of pids.slice(1)) process.kill(child, 'SIGSTOP');
        return () => {
          for (const pid of pids) process.kill(pid, 'SIGCONT');
        };
      },
      output: () => processes.map((proc) => proc.output()).join('\n'),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
