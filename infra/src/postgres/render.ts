import { join } from 'node:path';
import { sharedBuffersMb, walBuffersMb } from '../memory.js';
import { appPoolSize } from '../pgbouncer/pool.js';
import type { RenderedFile } from '../render.js';
import { header } from '../render.js';
import type { Site } from '../site.js';

/** Connections only a superuser may take (PostgreSQL's default), kept for an operator when everything else is full. */
export const SUPERUSER_RESERVED_CONNECTIONS = 3;

/** Where Debian keeps the cluster's configuration, relative to the render root. */
export const POSTGRES_ETC = 'etc/postgresql/15/main';

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));
const mb = (value: number) => (value % 1024 === 0 ? `${value / 1024}GB` : `${value}MB`);

/** Every derived PostgreSQL setting with the formula that produced it. */
export interface PostgresTuning {
  maxConnections: number;
  sharedBuffersMb: number;
  walBuffersMb: number;
  effectiveCacheSizeMb: number;
  workMemMb: number;
  maintenanceWorkMemMb: number;
  minWalSizeMb: number;
  maxWalSizeMb: number;
  parallelPerGather: number;
}

/** Derives PostgreSQL's memory, connection and planner settings from the machine and the pools. */
export function postgresTuning(site: Site): PostgresTuning {
  const ram = site.machine.ramMb;
  const maxConnections = appPoolSize(site) + site.postgres.maintenanceConnections + site.postgres.backupConnections + SUPERUSER_RESERVED_CONNECTIONS;
  const maxWalSizeMb = clamp(ram / 2, 1024, 16_384);
  return {
    maxConnections,
    sharedBuffersMb: sharedBuffersMb(site),
    walBuffersMb: walBuffersMb(site),
    effectiveCacheSizeMb: clamp(ram * 0.5, 256, 1_048_576),
    workMemMb: clamp((ram * 0.25) / maxConnections, 4, 64),
    maintenanceWorkMemMb: clamp(ram * 0.05, 64, 2048),
    minWalSizeMb: Math.round(maxWalSizeMb / 4),
    maxWalSizeMb,
    parallelPerGather: Math.max(1, Math.floor(site.machine.cores / 2)),
  };
}

/**
 * Debian's cluster 15/main: `postgresql.conf` tuned from the machine, `pg_hba.conf` (loopback and the
 * local socket only, scram-sha-256), an empty `pg_ident.conf`, and the roles' SQL (no passwords:
 * provisioning sets those from the root-only env file).
 */
export function renderPostgres(site: Site): RenderedFile[] {
  const pg = site.postgres;
  const t = postgresTuning(site);
  const etc = join(site.paths.etc, 'postgresql', '15', 'main');
  const conf = `${header('#', 'PostgreSQL 15 (Debian cluster 15/main), tuned from the machine.')}data_directory = '${pg.dataDir}' # site.postgres.dataDir
hba_file = '${etc}/pg_hba.conf' # site.paths.etc
ident_file = '${etc}/pg_ident.conf' # site.paths.etc
external_pid_file = '${pg.runDir}/15-main.pid' # site.postgres.runDir (pg_ctlcluster reads it)
cluster_name = '15/main'

# Connections: loopback only; the Node processes come through PgBouncer.
listen_addresses = 'localhost'
port = ${pg.port} # site.postgres.port
unix_socket_directories = '${pg.runDir}' # site.postgres.runDir
# PgBouncer's app pool (${appPoolSize(site)} = site.api.workers × site.api.poolMax + the worker's pool)
# + site.postgres.maintenanceConnections (${pg.maintenanceConnections}) + site.postgres.backupConnections (${pg.backupConnections})
# + superuser_reserved_connections (${SUPERUSER_RESERVED_CONNECTIONS}).
max_connections = ${t.maxConnections}
superuser_reserved_connections = ${SUPERUSER_RESERVED_CONNECTIONS}
# A query whose client gave up (the API's DATABASE_QUERY_TIMEOUT_MS: PgBouncer then closes the server
# connection) stops within a second instead of running on until statement_timeout.
client_connection_check_interval = 1s
password_encryption = scram-sha-256
# Nothing leaves the machine: TLS on loopback only costs CPU.
ssl = off

# Memory (site.machine.ramMb = ${site.machine.ramMb}).
shared_buffers = ${mb(t.sharedBuffersMb)} # 25 % of site.machine.ramMb, 128MB..16GB
wal_buffers = ${mb(t.walBuffersMb)} # shared_buffers / 32, at most 16MB (what -1 picks)
effective_cache_size = ${mb(t.effectiveCacheSizeMb)} # 50 % of site.machine.ramMb: the page cache PostgreSQL can expect beside Node and Redis
work_mem = ${mb(t.workMemMb)} # 25 % of site.machine.ramMb / max_connections, 4MB..64MB (each sort or hash of each connection)
maintenance_work_mem = ${mb(t.maintenanceWorkMemMb)} # 5 % of site.machine.ramMb, 64MB..2GB (VACUUM, CREATE INDEX)
huge_pages = try

# WAL and checkpoints: spread writes, keep a checkpoint from firing more often than every 15 min under load.
wal_level = replica # pgBackRest archives WAL and takes base backups
min_wal_size = ${mb(t.minWalSizeMb)} # max_wal_size / 4
max_wal_size = ${mb(t.maxWalSizeMb)} # 50 % of site.machine.ramMb, 1GB..16GB (disk grows with the machine)
checkpoint_timeout = 15min
checkpoint_completion_target = 0.9
wal_compression = on

# Planner: ${pg.ssd ? 'SSD (site.postgres.ssd): random reads cost about as much as sequential ones' : 'spinning disk (site.postgres.ssd = false): PostgreSQL\'s defaults'}.
random_page_cost = ${pg.ssd ? '1.1' : '4'} # site.postgres.ssd
effective_io_concurrency = ${pg.ssd ? 200 : 2} # site.postgres.ssd
default_statistics_target = 100

# Parallelism from the cores (site.machine.cores = ${site.machine.cores}).
max_worker_processes = ${Math.max(8, site.machine.cores)} # max(8, site.machine.cores)
max_parallel_workers = ${site.machine.cores} # site.machine.cores
max_parallel_workers_per_gather = ${t.parallelPerGather} # site.machine.cores / 2, at least 1
max_parallel_maintenance_workers = ${t.parallelPerGather} # site.machine.cores / 2, at least 1

# Logging: slow statements and lock waits, for the operator.
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 500ms
log_lock_waits = on
log_temp_files = 0
log_checkpoints = on
log_autovacuum_min_duration = 1s
track_io_timing = on

# Bind parameters hold e-mails and tokens: slow statements are logged without them.
log_parameter_max_length = 0
log_parameter_max_length_on_error = 0

# Debian's defaults, kept: the API's SQL is written against them.
datestyle = 'iso, mdy'
timezone = 'Etc/UTC'
lc_messages = 'C.UTF-8'
lc_monetary = 'C.UTF-8'
lc_numeric = 'C.UTF-8'
lc_time = 'C.UTF-8'
default_text_search_config = 'pg_catalog.english'

# Other areas (backups: archive_command) drop their settings here.
include_dir = 'conf.d'
`;
  const hba = `${header('#', 'PostgreSQL client authentication: the local socket and loopback only.')}# TYPE  DATABASE  USER      ADDRESS       METHOD
# The postgres superuser only from its own Unix account (provisioning, restores).
local   all       postgres                peer
local   all       all                     scram-sha-256
host    all       all       127.0.0.1/32  scram-sha-256
host    all       all       ::1/128       scram-sha-256
# pgBackRest and a streaming replica over loopback.
host    replication postgres 127.0.0.1/32 scram-sha-256
`;
  const ident = `${header('#', 'PostgreSQL user name maps: none (peer auth maps the postgres account to itself).')}`;
  return [
    { path: `${POSTGRES_ETC}/postgresql.conf`, content: conf, owner: 'postgres' },
    { path: `${POSTGRES_ETC}/pg_hba.conf`, content: hba, mode: 0o640, owner: 'postgres' },
    { path: `${POSTGRES_ETC}/pg_ident.conf`, content: ident, mode: 0o640, owner: 'postgres' },
    { path: `${POSTGRES_ETC}/conf.d/00-girlycrea.conf`, content: header('#', 'Drop-in settings of other areas (backups: archive_command) go beside this file.') },
    { path: 'etc/girlycrea/postgres-roles.sql', content: rolesSql(site) },
  ];
}

/**
 * The roles and the database, idempotent (psql as postgres): the owner runs migrations, the app role
 * reads and writes rows (and nothing else), the monitor role reads statistics. Passwords are not
 * here: provisioning sets them from the env file.
 */
export function rolesSql(site: Site): string {
  const pg = site.postgres;
  return `${header('--', 'Roles and database of the shop (psql -v ON_ERROR_STOP=1 as postgres; idempotent).')}${createRolesSql(site)}

SELECT 'CREATE DATABASE ${pg.database} OWNER ${pg.ownerRole}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${pg.database}')\\gexec
ALTER DATABASE ${pg.database} OWNER TO ${pg.ownerRole}; -- site.postgres.database
REVOKE ALL ON DATABASE ${pg.database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${pg.database} TO ${pg.appRole}, ${pg.monitorRole};
\\connect ${pg.database}
${appGrantsSql(site)}
`;
}

/** The three roles and their per-role settings (for psql, which runs the gexec lines), without passwords. Idempotent. */
export function createRolesSql(site: Site): string {
  const pg = site.postgres;
  const role = (name: string, options: string) => `SELECT 'CREATE ROLE ${name} ${options}' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}')\\gexec
ALTER ROLE ${name} ${options};`;
  return `${role(pg.ownerRole, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION')} -- site.postgres.ownerRole
${role(pg.appRole, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS')} -- site.postgres.appRole
${role(pg.monitorRole, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION')} -- site.postgres.monitorRole
GRANT pg_monitor TO ${pg.monitorRole};

-- Timeouts per role: node-postgres would send them as startup parameters, which PgBouncer rejects.
ALTER ROLE ${pg.appRole} SET statement_timeout = '${pg.statementTimeoutMs}ms'; -- site.postgres.statementTimeoutMs
ALTER ROLE ${pg.appRole} SET idle_in_transaction_session_timeout = '${pg.idleInTransactionTimeoutMs}ms'; -- site.postgres.idleInTransactionTimeoutMs
ALTER ROLE ${pg.monitorRole} SET statement_timeout = '10s';
ALTER ROLE ${pg.monitorRole} SET default_transaction_read_only = on;
-- Migrations may rewrite big tables: no statement timeout, but no forgotten open transaction either.
ALTER ROLE ${pg.ownerRole} SET idle_in_transaction_session_timeout = '10min';`;
}

/**
 * Inside the shop's database: nobody but the owner creates objects; the app role reads and writes the
 * owner's tables and sequences, including those future migrations create.
 */
export function appGrantsSql(site: Site): string {
  const { ownerRole: owner, appRole: app, monitorRole: monitor } = site.postgres;
  return `REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO ${owner};
GRANT USAGE ON SCHEMA public TO ${app}, ${monitor};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${app};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ${app};`;
}
