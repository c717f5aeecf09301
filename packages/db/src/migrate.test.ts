import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmptyDatabase } from '@girlycrea/testkit';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadMigrations, migrate, MIGRATIONS_DIR } from './migrate.js';

const { adminUrl } = inject('testDb');
const databases: { drop(): Promise<void> }[] = [];
const folders: string[] = [];

/** A brand-new empty database (no template clone); returns its direct URL. */
async function emptyDatabase(): Promise<string> {
  const database = await createEmptyDatabase({ adminUrl });
  databases.push(database);
  return database.url;
}

/** Writes `files` into a fresh temporary folder; returns it as a directory URL (trailing slash). */
async function migrationFolder(files: Record<string, string>): Promise<{ path: string; url: URL }> {
  const path = await mkdtemp(join(tmpdir(), 'gc-migrations-'));
  folders.push(path);
  await writeFiles(path, files);
  return { path, url: pathToFileURL(path + sep) };
}

async function writeFiles(path: string, files: Record<string, string>): Promise<void> {
  await Promise.all(Object.entries(files).map(([file, sql]) => writeFile(join(path, file), sql)));
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function tables(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((row) => row.name);
}

async function recorded(url: string): Promise<string[]> {
  const rows = await query<{ id: string }>(url, "SELECT version || '_' || name AS id FROM schema_migrations ORDER BY version");
  return rows.map((row) => row.id);
}

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  await Promise.all(folders.map((path) => rm(path, { recursive: true, force: true })));
});

describe('loadMigrations', () => {
  it('orders NNNN_name.sql files by version, checksums them and ignores other files', async () => {
    const create = 'CREATE TABLE a (id int);';
    const { url } = await migrationFolder({
      '0002_second.sql': 'SELECT 2;',
      '0001_create_a.sql': create,
      '0010_tenth.sql': 'SELECT 10;',
      'README.md': 'not a migration',
    });
    const migrations = await loadMigrations(url);
    expect(migrations.map((m) => `${m.version}_${m.name}`)).toEqual(['0001_create_a', '0002_second', '0010_tenth']);
    expect(migrations[0]).toEqual({
      version: '0001',
      name: 'create_a',
      sql: create,
      checksum: createHash('sha256').update(create).digest('hex'),
    });
  });

  it('rejects a badly named migration file, naming it', async () => {
    const { url } = await migrationFolder({ '0001_ok.sql': 'SELECT 1;', '1_x.sql': 'SELECT 1;' });
    await expect(loadMigrations(url)).rejects.toThrow(/1_x\.sql/);
    const upper = await migrationFolder({ '0001_Create_Table.sql': 'SELECT 1;' });
    await expect(loadMigrations(upper.url)).rejects.toThrow(/0001_Create_Table\.sql/);
  });
});

describe('migrate', () => {
  it('applies pending migrations in order, records them, and on a later run applies only new ones', async () => {
    const url = await emptyDatabase();
    const folder = await migrationFolder({
      '0001_create_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);',
      // Fails unless 0001 ran first.
      '0002_fill_a.sql': 'INSERT INTO a (id) VALUES (1), (2);',
    });
    const lines: string[] = [];

    const first = await migrate(url, { dir: folder.url, onProgress: (line) => lines.push(line) });

    expect(first).toEqual({ applied: ['0001_create_a', '0002_fill_a'], alreadyApplied: 0 });
    expect(lines).toHaveLength(2);
    expect(await recorded(url)).toEqual(['0001_create_a', '0002_fill_a']);
    const checksums = await query<{ version: string; checksum: string }>(url, 'SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(checksums).toEqual((await loadMigrations(folder.url)).map(({ version, checksum }) => ({ version, checksum })));
    expect(await query(url, 'SELECT id FROM a ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);

    await writeFiles(folder.path, { '0003_fill_more.sql': 'INSERT INTO a (id) VALUES (3);' });
    const second = await migrate(url, { dir: folder.url });

    expect(second).toEqual({ applied: ['0003_fill_more'], alreadyApplied: 2 });
    expect(await query(url, 'SELECT count(*)::int AS n FROM a')).toEqual([{ n: 3 }]);
  });

  it('a failing migration rolls back, names its file, and keeps earlier ones applied', async () => {
    const url = await emptyDatabase();
    const { url: dir } = await migrationFolder({
      '0001_create_a.sql': 'CREATE TABLE a (id int);',
      '0002_broken.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT 1 / 0;',
      '0003_create_c.sql': 'CREATE TABLE c (id int);',
    });

    await expect(migrate(url, { dir })).rejects.toThrow(/0002_broken/);

    expect(await tables(url)).toEqual(['a', 'schema_migrations']);
    expect(await recorded(url)).toEqual(['0001_create_a']);
  });

  it('refuses to run when an applied migration was modified, applying nothing after it', async () => {
    const url = await emptyDatabase();
    const folder = await migrationFolder({ '0001_create_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(url, { dir: folder.url });

    await writeFiles(folder.path, {
      '0001_create_a.sql': 'CREATE TABLE a (id int, extra text);',
      '0002_create_b.sql': 'CREATE TABLE b (id int);',
    });

    await expect(migrate(url, { dir: folder.url })).rejects.toThrow(/0001_create_a/);
    expect(await tables(url)).toEqual(['a', 'schema_migrations']);
    expect(await recorded(url)).toEqual(['0001_create_a']);
  });

  it('two concurrent runs on one database both succeed and apply each migration exactly once', async () => {
    const url = await emptyDatabase();
    const { url: dir } = await migrationFolder({
      // Would fail on a second application, and holds the first runner long enough for the second to arrive.
      '0001_create_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\nSELECT pg_sleep(0.3);',
    });

    const results = await Promise.all([migrate(url, { dir }), migrate(url, { dir })]);

    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 1]);
    expect(results.map((r) => r.alreadyApplied).sort()).toEqual([0, 1]);
    expect(await recorded(url)).toEqual(['0001_create_t']);
    expect(await query(url, 'SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
  });

  it('the shipped migrations apply to an empty database and a second run applies nothing', async () => {
    const url = await emptyDatabase();
    const shipped = await loadMigrations(MIGRATIONS_DIR);
    expect(shipped.length).toBeGreaterThan(0);

    const first = await migrate(url);
    expect(first).toEqual({ applied: shipped.map((m) => `${m.version}_${m.name}`), alreadyApplied: 0 });
    expect(await tables(url)).toEqual(expect.arrayContaining(['products', 'variants', 'categories', 'schema_migrations']));

    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: shipped.length });
  });
});
