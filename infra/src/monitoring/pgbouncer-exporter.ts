// Debian 12's prometheus-pgbouncer-exporter (1.7) dies at start against Debian 12's PgBouncer (1.18): it
// reads SHOW STATS' `total_requests`, a column PgBouncer renamed in 1.8 (KeyError). This small exporter reads
// the admin console instead, with the same names for the pool gauges (pgbouncer_active_clients,
// pgbouncer_waiting_clients) so the rules and dashboards would hold with either.
import { createServer, type Server } from 'node:http';
import pg from 'pg';

/** Where the exporter reads PgBouncer and where it serves /metrics. */
export interface PgBouncerExporterOptions {
  /** PgBouncer's host and port, and a user listed in its stats_users. */
  pgbouncer: { host: string; port: number; user: string };
  /** Loopback port of /metrics. */
  port: number;
  host?: string;
  /** How long a scrape waits for the console. Default 5 s. */
  timeoutMs?: number;
}

type Row = Record<string, string | number | null>;

// SHOW POOLS columns -> gauge, per database and user.
const POOL_GAUGES: [column: string, name: string, help: string][] = [
  ['cl_active', 'pgbouncer_active_clients', 'Client connections linked to a server connection'],
  ['cl_waiting', 'pgbouncer_waiting_clients', 'Client connections waiting for a server connection'],
  ['sv_active', 'pgbouncer_server_active_connections', 'Server connections linked to a client'],
  ['sv_idle', 'pgbouncer_server_idle_connections', 'Server connections idle and ready'],
  ['maxwait', 'pgbouncer_max_wait_seconds', 'Longest wait of the oldest waiting client, in seconds'],
];
// SHOW STATS columns -> counter, per database.
const STAT_COUNTERS: [column: string, name: string, help: string][] = [
  ['total_xact_count', 'pgbouncer_transactions_total', 'Transactions pooled by PgBouncer'],
  ['total_query_count', 'pgbouncer_queries_total', 'Queries pooled by PgBouncer'],
];

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelsOf = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([key, value]) => `${key}="${escape(value)}"`)
    .join(',')}}`;

/** Renders SHOW POOLS and SHOW STATS rows as Prometheus text exposition (pure, for tests). */
export function exposition(pools: Row[] | undefined, stats: Row[] | undefined): string {
  const lines = ['# HELP pgbouncer_up 1 when the PgBouncer console answered this scrape', '# TYPE pgbouncer_up gauge', `pgbouncer_up ${pools && stats ? 1 : 0}`];
  for (const [column, name, help] of POOL_GAUGES) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const row of pools ?? []) lines.push(`${name}${labelsOf({ database: String(row.database), user: String(row.user) })} ${Number(row[column] ?? 0)}`);
  }
  for (const [column, name, help] of STAT_COUNTERS) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const row of stats ?? []) lines.push(`${name}${labelsOf({ database: String(row.database) })} ${Number(row[column] ?? 0)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function readConsole(options: PgBouncerExporterOptions): Promise<{ pools: Row[]; stats: Row[] }> {
  const client = new pg.Client({
    host: options.pgbouncer.host,
    port: options.pgbouncer.port,
    user: options.pgbouncer.user,
    database: 'pgbouncer',
    connectionTimeoutMillis: options.timeoutMs ?? 5000,
    query_timeout: options.timeoutMs ?? 5000,
  });
  await client.connect();
  try {
    // The console speaks only the simple query protocol: no parameters.
    const pools = await client.query<Row>('SHOW POOLS');
    const stats = await client.query<Row>('SHOW STATS');
    return { pools: pools.rows, stats: stats.rows };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Serves GET /metrics on host:port, reading the console at each scrape (so a PgBouncer restart heals by itself). */
export async function startPgBouncerExporter(options: PgBouncerExporterOptions): Promise<Server> {
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?', 1)[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    readConsole(options).then(
      ({ pools, stats }) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(exposition(pools, stats)),
      // PgBouncer down is data, not an error of the exporter: pgbouncer_up 0.
      () => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(exposition(undefined, undefined)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
