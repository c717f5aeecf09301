import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { CATALOG_CHANNEL } from './listen.js';

/** The migrations shipped with this package (works from src/ and dist/ alike). */
export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);

/** A migration file `NNNN_name.sql` with its checksum. */
export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** What `migrate` did. */
export interface MigrateSummary {
  applied: string[];
  alreadyApplied: number;
}

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 7_316_521_004;

/** Reads and orders the migration files; throws on a badly named file. */
export async function loadMigrations(folder: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  // Without the trailing slash, relative file URLs would resolve in the parent folder.
  const dir = folder.href.endsWith('/') ? folder : new URL(`${folder.href}/`);
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`Nom de migration invalide : ${file} (attendu NNNN_nom.sql)`);
      const sql = await readFile(new URL(file, dir), 'utf8');
      return {
        version: match[1]!,
        name: match[2]!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/**
 * Applies pending migrations over a direct (non-PgBouncer) connection, each in its own transaction.
 * A session advisory lock makes concurrent runners wait, so two processes never migrate at once.
 * Throws if an applied migration's file has changed since.
 */
export async function migrate(
  url: string,
  options: { onProgress?: (line: string) => void; dir?: URL } = {},
): Promise<MigrateSummary> {
  const migrations = await loadMigrations(options.dir);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const applied = new Map(rows.map((row) => [row.version, row.checksum]));
    const summary: MigrateSummary = { applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `La migration ${migration.version}_${migration.name} a changé depuis son application : ` +
              'écrivez une nouvelle migration au lieu de modifier une ancienne.',
          );
        }
        summary.alreadyApplied += 1;
        continue;
      }
      options.onProgress?.(`application de ${migration.version}_${migration.name}…`);
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Échec de la migration ${migration.version}_${migration.name} : ${(error as Error).message}`, {
          cause: error,
        });
      }
      summary.applied.push(`${migration.version}_${migration.name}`);
    }
    // A migration may change what the catalog answers: running APIs drop their caches and the storefront's.
    if (summary.applied.length > 0) await client.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, 'catalog']);
    return summary;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
