import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';
import { appPoolSize, WORKER_POOL_MAX } from './pool.js';

/** Where PgBouncer reads the users it authenticates (written by provisioning from the env file, never rendered). */
export function pgbouncerUserlist(site: Site): string {
  return `${site.paths.etc}/pgbouncer/userlist.txt`;
}

/**
 * `etc/pgbouncer/pgbouncer.ini`: transaction pooling for the app role into the shop's database, one
 * server pool sized from the PM2 pools, scram-sha-256 for clients, admin console (the `pgbouncer`
 * database) on the same loopback port for the owner and the exporter.
 */
export function renderPgBouncer(site: Site): RenderedFile[] {
  const { postgres: pg, pgbouncer: pb } = site;
  const pool = appPoolSize(site);
  const content = `${header('#', 'PgBouncer 1.18 (Debian): transaction pooling between the Node processes and PostgreSQL.')}[databases]
# Only the shop's database; the server pool holds every Node pool at once:
# site.api.workers (${site.api.workers}) × site.api.poolMax (${site.api.poolMax}) + the worker's DATABASE_POOL_MAX (${WORKER_POOL_MAX}) = ${pool}
${pb.allDatabases ? `; site.pgbouncer.allDatabases: every database name, one pool each.\n* = host=127.0.0.1 port=${pg.port} pool_size=${pool}` : `${pg.database} = host=127.0.0.1 port=${pg.port} dbname=${pg.database} pool_size=${pool}`}

[users]
# Migrations, pg_dump and the exporter connect to PostgreSQL directly (DATABASE_DIRECT_URL).

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${pb.port}
unix_socket_dir = ${pb.runDir}
pidfile = ${pb.runDir}/pgbouncer.pid
logfile = ${pb.logFile}

auth_type = scram-sha-256
auth_file = ${pgbouncerUserlist(site)}
# The admin console (SHOW, PAUSE, RELOAD) on this same loopback port, database "pgbouncer".
admin_users = ${pg.ownerRole}
stats_users = ${pg.monitorRole}

pool_mode = transaction
default_pool_size = ${pool}
# Hard ceiling on server connections to the database (PostgreSQL's max_connections reserves this many).
max_db_connections = ${pool}
reserve_pool_size = 0
min_pool_size = 0
max_client_conn = ${pb.maxClientConn}

# Fail fast instead of hanging: the API answers 503 when nobody can get a connection.
query_wait_timeout = ${pb.queryWaitTimeoutSeconds}
idle_transaction_timeout = ${pb.idleTransactionTimeoutSeconds}
server_login_retry = 1
server_idle_timeout = 600
# Transaction mode runs no reset query (a stray SET would leak anyway: ARCHITECTURE.md forbids session state).
server_reset_query = DISCARD ALL
server_reset_query_always = 0
# node-postgres sends extra_float_digits at startup; everything else (statement_timeout…) is set per role.
ignore_startup_parameters = extra_float_digits

log_connections = 0
log_disconnections = 0
stats_period = 60
`;
  return [{ path: 'etc/pgbouncer/pgbouncer.ini', content, mode: 0o640, owner: 'postgres' }];
}
