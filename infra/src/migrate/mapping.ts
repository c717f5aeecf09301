import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'nom de colonne ou de table en minuscules (a-z, 0-9, _)');
const qualified = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'schéma.table, ex. public.orders');
const literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** How one target column is computed from the source row `s` (the owner edits these in the mapping file). */
export const ColumnRule = z.union([
  z.object({ value: literal }).strict(),
  z.object({ sql: z.string().min(1) }).strict(),
  z.object({ from: identifier, convert: z.literal('copy').optional() }).strict(),
  z.object({ from: identifier, convert: z.enum(['eurosToCents', 'lowerTrim', 'upperTrim', 'emptyToNull', 'bcryptOrNull']) }).strict(),
  z.object({ from: identifier, convert: z.literal('keyToUuid'), namespace: z.string().min(1) }).strict(),
  z.object({ from: identifier, convert: z.literal('values'), values: z.record(z.string(), literal), default: literal.optional() }).strict(),
  z.object({ from: identifier, convert: z.literal('jsonField'), field: z.string().min(1), fallback: literal.optional() }).strict(),
  z.object({ from: identifier, convert: z.literal('jsonReshape'), fields: z.record(z.string(), z.string()), defaults: z.record(z.string(), literal).default({}) }).strict(),
  z.object({ from: identifier, convert: z.literal('prefix'), prefix: z.string() }).strict(),
  z.object({ from: identifier, convert: z.literal('number'), prefix: z.string(), digits: z.number().int().min(1).max(12) }).strict(),
  z.object({ from: identifier, convert: z.literal('sha256'), salt: z.string() }).strict(),
]);
export type ColumnRule = z.infer<typeof ColumnRule>;

/** One source table feeding one target table. */
export const TableRule = z
  .object({
    source: qualified,
    target: identifier,
    /** The target column that identifies the rows this source row owns (computed from the source key alone). */
    identity: identifier.optional(),
    /** A filter on the source row `s` (SQL). */
    where: z.string().optional(),
    columns: z.record(identifier, ColumnRule),
    /** Source columns deliberately not carried over (anything else unmapped is reported by `check`). */
    ignore: z.array(identifier).default([]),
    /** Target columns whose sum `verify` compares with the source (money in cents, stock). */
    sums: z.array(identifier).default([]),
  })
  .strict();
export type TableRule = z.infer<typeof TableRule>;

const RedisRule = z.union([
  z.object({ match: z.string().min(1), skip: z.string().min(1) }).strict(),
  z.object({ match: z.string().min(1), copy: z.literal(true), to: z.string().min(1).optional() }).strict(),
  z
    .object({
      match: z.string().min(1),
      cart: z.object({ to: z.string().min(1), items: z.string(), variantId: z.string(), quantity: z.string(), discountCode: z.string().optional() }).strict(),
    })
    .strict(),
]);
export type RedisRule = z.infer<typeof RedisRule>;

/** The whole legacy → GirlyCrea mapping (infra/legacy-mapping.json). */
export const Mapping = z
  .object({
    /** Tables in dependency order: parents first. */
    tables: z.array(TableRule).min(1),
    /** Source tables knowingly left behind, with the reason `check` prints. */
    ignoreTables: z.record(qualified, z.string()).default({}),
    /** Target sequences set past the source sequence's value at cutover. */
    sequences: z.array(z.object({ target: identifier, source: qualified }).strict()).default([]),
    /** Queries on the target that must return no rows after cutover (orphans…); their rows are printed. */
    checks: z.array(z.object({ name: z.string().min(1), sql: z.string().min(1) }).strict()).default([]),
    storage: z.object({ bucket: z.string().min(1), to: z.string().default('') }).strict().optional(),
    redis: z.array(RedisRule).default([]),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;

/** Reads and validates a mapping file; the error names the file and each bad field. */
export async function loadMapping(path: string): Promise<Mapping> {
  const raw = await readFile(path, 'utf8').catch((error: Error) => {
    throw new Error(`fichier de correspondance illisible (${path}) : ${error.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`fichier de correspondance ${path} : JSON invalide (${(error as Error).message})`);
  }
  const parsed = Mapping.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')} : ${issue.message}`);
    throw new Error(`fichier de correspondance ${path} invalide :\n${problems.join('\n')}`);
  }
  for (const table of parsed.data.tables) {
    const identity = table.columns[identityOf(table)];
    if (!identity || !('from' in identity)) throw new Error(`${path} : ${table.source} → ${table.target}, la colonne d'identité « ${identityOf(table)} » doit venir d'une colonne source (from)`);
  }
  return parsed.data;
}

/** The target column identifying a table rule's rows (default `id`). */
export function identityOf(table: TableRule): string {
  return table.identity ?? 'id';
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL literal. */
export function quoteLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${value.replace(/'/g, "''")}'`;
}

/** `schema.table` as a quoted SQL name. */
export function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

/** The SQL expression of one column rule over the source row alias `s`. */
export function columnSql(rule: ColumnRule): string {
  if ('value' in rule) return quoteLiteral(rule.value);
  if ('sql' in rule) return `(${rule.sql})`;
  const col = `s.${quoteIdent(rule.from)}`;
  switch (rule.convert) {
    case undefined:
    case 'copy':
      return col;
    case 'eurosToCents':
      return `round(${col} * 100)::integer`;
    case 'lowerTrim':
      return `lower(btrim(${col}))`;
    case 'upperTrim':
      return `upper(btrim(${col}))`;
    case 'emptyToNull':
      return `nullif(btrim(${col}::text), '')`;
    case 'bcryptOrNull':
      // Only bcrypt hashes are kept; anything else (empty, other scheme) means "reset your password".
      return `CASE WHEN ${col} ~ '^\\$2[aby]\\$' THEN ${col}::text END`;
    case 'keyToUuid':
      // Deterministic: the same legacy key always gives the same uuid, so every step can be replayed.
      return `CASE WHEN ${col} IS NOT NULL THEN md5(${quoteLiteral(`${rule.namespace}:`)} || ${col}::text)::uuid END`;
    case 'values': {
      const cases = Object.entries(rule.values).map(([from, to]) => `WHEN ${quoteLiteral(from)} THEN ${quoteLiteral(to)}`);
      return `CASE ${col}::text ${cases.join(' ')} ELSE ${quoteLiteral(rule.default ?? null)} END`;
    }
    case 'jsonField':
      return `coalesce(nullif(btrim(${col} ->> ${quoteLiteral(rule.field)}), ''), ${quoteLiteral(rule.fallback ?? null)})`;
    case 'jsonReshape': {
      const pairs = Object.entries(rule.fields).map(([ours, theirs]) => `${quoteLiteral(ours)}, nullif(btrim(${col} ->> ${quoteLiteral(theirs)}), '')`);
      const defaults = Object.entries(rule.defaults).map(([ours, value]) => `${quoteLiteral(ours)}, ${quoteLiteral(value)}`);
      return `(jsonb_build_object(${defaults.join(', ') || ''}) || jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')})))`;
    }
    case 'prefix':
      return `${quoteLiteral(rule.prefix)} || ${col}::text`;
    case 'number':
      return `${quoteLiteral(rule.prefix)} || lpad(${col}::text, ${rule.digits}, '0')`;
    case 'sha256':
      return `sha256(convert_to(${quoteLiteral(rule.salt)} || ${col}::text, 'UTF8'))`;
  }
}

/** Source columns a table rule reads: `from` columns, and those named as `s.col` in SQL rules or the filter. */
export function sourceColumnsUsed(table: TableRule): Set<string> {
  const used = new Set<string>();
  const scan = (sql: string) => {
    for (const match of sql.matchAll(/\bs\.("?)([a-z_][a-z0-9_]*)\1/g)) used.add(match[2]!);
  };
  for (const rule of Object.values(table.columns)) {
    if ('from' in rule) used.add(rule.from);
    if ('sql' in rule) scan(rule.sql);
  }
  if (table.where) scan(table.where);
  return used;
}

/** `SELECT <target columns> FROM <source> s [WHERE …]`, the core of transform and verify. */
export function selectSql(table: TableRule, extraWhere?: string): string {
  const columns = Object.entries(table.columns).map(([name, rule]) => `${columnSql(rule)} AS ${quoteIdent(name)}`);
  const filters = [table.where, extraWhere].filter(Boolean).map((filter) => `(${filter})`);
  return `SELECT ${columns.join(', ')} FROM ${quoteQualified(table.source)} s${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}`;
}

/** The mapping file the owner edits (infra/legacy-mapping.json). */
export const DEFAULT_MAPPING_FILE = fileURLToPath(new URL('../../legacy-mapping.json', import.meta.url));
