import type { Client } from './db.js';

/** One column of a table as the server describes it. */
export interface ColumnInfo {
  name: string;
  /** `format_type()`, e.g. `numeric(10,2)`. */
  type: string;
  /** The type lives in pg_catalog (replicable as is); other types (enums, extensions) are staged as text. */
  builtin: boolean;
}

/** A table's columns (in order) and primary key columns. */
export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** pg_class.relreplident: d(efault = primary key), f(ull), i(ndex), n(othing). */
  replicaIdentity: string;
}

/** Every ordinary table of the user schemas, keyed `schema.table`. */
export async function readTables(client: Client): Promise<Map<string, TableInfo>> {
  const { rows } = await client.query<{ qualified: string; column: string; type: string; builtin: boolean; pk: boolean; replident: string }>(
    `SELECT n.nspname || '.' || c.relname AS qualified, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            tn.nspname = 'pg_catalog' AND t.typtype IN ('b', 'r', 'm') AS builtin,
            coalesce(a.attnum = ANY(pk.conkey), false) AS pk, c.relreplident::text AS replident
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname NOT LIKE 'pg_temp%'
     ORDER BY n.nspname, c.relname, a.attnum`,
  );
  const tables = new Map<string, TableInfo>();
  for (const row of rows) {
    let table = tables.get(row.qualified);
    if (!table) {
      table = { name: row.qualified, columns: [], primaryKey: [], replicaIdentity: row.replident };
      tables.set(row.qualified, table);
    }
    table.columns.push({ name: row.column, type: row.type, builtin: row.builtin });
    if (row.pk) table.primaryKey.push(row.column);
  }
  return tables;
}

/** The single-column key of a source table, or why it has none usable. */
export function keyOf(table: TableInfo): { column: string; type: string } | { problem: string } {
  if (table.primaryKey.length === 0) {
    return { problem: `la table ${table.name} n'a pas de clé primaire : la réplication logique ne peut pas y suivre les modifications et suppressions. Ajoutez-en une sur la source (ALTER TABLE ${table.name} ADD PRIMARY KEY (…)) ou retirez la table de la correspondance.` };
  }
  if (table.primaryKey.length > 1) return { problem: `la table ${table.name} a une clé primaire sur plusieurs colonnes (${table.primaryKey.join(', ')}) : non prise en charge` };
  const column = table.columns.find((c) => c.name === table.primaryKey[0])!;
  return { column: column.name, type: column.builtin ? column.type : 'text' };
}

/** The primary key columns of a table of the shop's database (`public`), in key order. */
export async function targetPrimaryKey(client: Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
     WHERE c.contype = 'p' AND c.conrelid = to_regclass($1) ORDER BY array_position(c.conkey, a.attnum)`,
    [`public.${table}`],
  );
  return rows.map((row) => row.column);
}
