import { keyOf, readTables, type TableInfo } from './catalog.js';
import { MigrationStop, type MigrationContext } from './context.js';
import { withClient, type Client } from './db.js';
import { quoteQualified, selectSql, sourceColumnsUsed, type TableRule } from './mapping.js';

/** What `check` found: blocking problems, warnings, and what would move. */
export interface CheckReport {
  problems: string[];
  warnings: string[];
  rows: { source: string; target: string; rows: number }[];
  storageObjects: number | null;
  sourceVersion: string;
  targetVersion: string;
}

async function setting(client: Client, name: string): Promise<string> {
  const { rows } = await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name]);
  return rows[0]!.value;
}

function checkRule(rule: TableRule, source: Map<string, TableInfo>, target: Map<string, TableInfo>, problems: string[]): void {
  const label = `${rule.source} → ${rule.target}`;
  const table = source.get(rule.source);
  if (!table) {
    problems.push(`${label} : la table source ${rule.source} n'existe pas`);
    return;
  }
  const key = keyOf(table);
  if ('problem' in key) problems.push(key.problem);
  const columns = new Set(table.columns.map((c) => c.name));
  for (const used of sourceColumnsUsed(rule)) {
    if (!columns.has(used)) problems.push(`${label} : la colonne ${rule.source}.${used} n'existe pas sur la source (colonnes : ${[...columns].join(', ')})`);
  }
  for (const ignored of rule.ignore) {
    if (!columns.has(ignored)) problems.push(`${label} : « ignore » cite ${rule.source}.${ignored}, qui n'existe pas`);
  }
  const identity = rule.columns[rule.identity ?? 'id'];
  if ('column' in key && identity && 'from' in identity && identity.from !== key.column) {
    problems.push(`${label} : l'identité (${rule.identity ?? 'id'}) doit venir de la clé ${key.column}, pas de ${identity.from}`);
  }
  const targetTable = target.get(`public.${rule.target}`);
  if (!targetTable) {
    problems.push(`${label} : la table cible ${rule.target} n'existe pas (la base cible est-elle migrée ? npm run migrate)`);
    return;
  }
  const targetColumns = new Set(targetTable.columns.map((c) => c.name));
  for (const name of [...Object.keys(rule.columns), ...rule.sums]) {
    if (!targetColumns.has(name)) problems.push(`${label} : la colonne cible ${rule.target}.${name} n'existe pas`);
  }
  for (const pk of targetTable.primaryKey) {
    if (!(pk in rule.columns)) problems.push(`${label} : la clé primaire cible ${rule.target}.${pk} n'est pas calculée`);
  }
}

/**
 * Verifies, without writing anything on either side, that the migration can start: versions,
 * wal_level=logical and replication rights on the source, superuser on the target, every mapped
 * table and column, a primary key on every mapped source table, status values the mapping knows.
 * Returns what will move; throws MigrationStop listing every blocking problem.
 */
export async function check(ctx: MigrationContext): Promise<CheckReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  return withClient(ctx.sourceUrl, 'la base source', (source) =>
    withClient(ctx.targetUrl, 'la base cible', async (target) => {
      // Nothing below may write: both sessions are read-only.
      await source.query('BEGIN READ ONLY');
      await target.query('BEGIN READ ONLY');
      const sourceVersion = await setting(source, 'server_version');
      const targetVersion = await setting(target, 'server_version');
      if (Number(await setting(source, 'server_version_num')) < 100_000) problems.push(`source en PostgreSQL ${sourceVersion} : la réplication logique demande PostgreSQL 10 ou plus`);
      if (Number(await setting(target, 'server_version_num')) < 150_000) problems.push(`cible en PostgreSQL ${targetVersion} : PostgreSQL 15 attendu`);
      const walLevel = await setting(source, 'wal_level');
      if (walLevel !== 'logical') {
        problems.push(`wal_level vaut « ${walLevel} » sur la source : il faut « logical » (Supabase : activé par défaut ; ailleurs ALTER SYSTEM SET wal_level = logical puis redémarrage)`);
      }
      const { rows: sourceRole } = await source.query<{ rolsuper: boolean; rolreplication: boolean }>('SELECT rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user');
      if (!sourceRole[0]?.rolsuper && !sourceRole[0]?.rolreplication) problems.push("l'utilisateur de la source n'a ni SUPERUSER ni REPLICATION : utilisez l'utilisateur postgres de Supabase (connexion directe)");
      const { rows: targetRole } = await target.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      if (!targetRole[0]?.rolsuper) problems.push("l'utilisateur de la cible doit être superutilisateur (CREATE SUBSCRIPTION) : utilisez postgres sur le VPS");

      const sourceTables = await readTables(source);
      const targetTables = await readTables(target);
      for (const rule of ctx.mapping.tables) checkRule(rule, sourceTables, targetTables, problems);

      // Unmapped columns and tables are reported, never silently dropped.
      const bySource = new Map<string, TableRule[]>();
      for (const rule of ctx.mapping.tables) bySource.set(rule.source, [...(bySource.get(rule.source) ?? []), rule]);
      for (const [name, rules] of bySource) {
        const table = sourceTables.get(name);
        if (!table) continue;
        const used = new Set(rules.flatMap((rule) => [...sourceColumnsUsed(rule), ...rule.ignore]));
        const unmapped = table.columns.map((c) => c.name).filter((c) => !used.has(c));
        if (unmapped.length) warnings.push(`${name} : colonnes non reprises (ni mappées ni dans « ignore ») : ${unmapped.join(', ')}`);
      }
      for (const name of sourceTables.keys()) {
        if (name.startsWith('public.') && !bySource.has(name) && !(name in ctx.mapping.ignoreTables)) warnings.push(`${name} : table non reprise (ni mappée ni dans « ignoreTables »)`);
      }

      const rows: CheckReport['rows'] = [];
      if (problems.length === 0) {
        for (const rule of ctx.mapping.tables) {
          // Compiles every SQL rule against the real source and finds values the mapping does not know.
          try {
            const { rows: counted } = await source.query<{ n: string }>(`SELECT count(*) AS n FROM (${selectSql(rule)}) t`);
            rows.push({ source: rule.source, target: rule.target, rows: Number(counted[0]!.n) });
          } catch (error) {
            problems.push(`${rule.source} → ${rule.target} : une règle SQL échoue sur la source : ${(error as Error).message}`);
            continue;
          }
          for (const [name, column] of Object.entries(rule.columns)) {
            if (!('convert' in column) || column.convert !== 'values' || column.default !== undefined) continue;
            const { rows: unknown } = await source.query<{ value: string }>(
              `SELECT DISTINCT s.${column.from}::text AS value FROM ${quoteQualified(rule.source)} s WHERE s.${column.from} IS NOT NULL AND NOT (s.${column.from}::text = ANY($1::text[])) LIMIT 20`,
              [Object.keys(column.values)],
            );
            if (unknown.length) problems.push(`${rule.source}.${column.from} → ${rule.target}.${name} : valeurs absentes de la correspondance : ${unknown.map((r) => r.value).join(', ')}`);
          }
        }
      }
      let storageObjects: number | null = null;
      if (ctx.mapping.storage && sourceTables.has('storage.objects')) {
        const { rows: objects } = await source.query<{ n: string }>('SELECT count(*) AS n FROM storage.objects WHERE bucket_id = $1', [ctx.mapping.storage.bucket]);
        storageObjects = Number(objects[0]!.n);
      }
      await source.query('ROLLBACK');
      await target.query('ROLLBACK');
      const report = { problems, warnings, rows, storageObjects, sourceVersion, targetVersion };
      if (problems.length > 0) throw new MigrationStop('Vérification échouée : rien n’a été écrit. Corrigez ces points puis relancez check.', problems);
      return report;
    }),
  );
}
