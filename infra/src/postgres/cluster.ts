import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Site } from '../site.js';
import { run } from '../system.js';

/** Debian's PostgreSQL 15 programs. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Path of one PostgreSQL program; explains how to install it when absent. */
export function pgProgram(name: 'initdb' | 'postgres' | 'psql' | 'pgbench' | 'pg_ctl'): string {
  const path = join(PG_BIN, name);
  if (!existsSync(path)) throw new Error(`${path} est introuvable : installez PostgreSQL 15 (apt-get install -y postgresql-15).`);
  return path;
}

/**
 * Runs SQL through psql as the postgres superuser over the cluster's Unix socket (peer auth), the SQL
 * on stdin so no password ever appears in a process list. Stops at the first error.
 */
export function psqlAsPostgres(site: Site, sql: string, database = 'postgres'): string {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', site.postgres.runDir, '-p', String(site.postgres.port), '-d', database, '-f', '-'];
  return run(pgProgram('psql'), args, { user: 'postgres', input: sql, cwd: '/' });
}

/** Runs SQL through psql at `url` (the SQL on stdin), stopping at the first error. */
export function psqlAt(url: string, sql: string): string {
  return run(pgProgram('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], { input: sql, cwd: '/' });
}
