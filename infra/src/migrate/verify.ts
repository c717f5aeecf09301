import { createHash } from 'node:crypto';
import { targetPrimaryKey } from './catalog.js';
import type { MigrationContext } from './context.js';
import { withClient, type Client } from './db.js';
import { identityOf, quoteIdent, selectSql, type TableRule } from './mapping.js';

/** The comparison of one mapping rule, source vs target. */
export interface TableVerification {
  source: string;
  target: string;
  sourceRows: number;
  targetRows: number;
  /** md5 over the sorted primary keys of each side. */
  sourceChecksum: string;
  targetChecksum: string;
  sums: { column: string; source: string; target: string }[];
  /** Rows (primary key) present on one side only or with different values, at most 20 named. */
  differences: string[];
}

/** What `verify` found. */
export interface VerifyReport {
  tables: TableVerification[];
  checks: { name: string; rows: string[] }[];
  api: { slug: string; problem: string | null }[];
  ok: boolean;
}

const checksum = (keys: string[]) => createHash('md5').update([...keys].sort().join('\n')).digest('hex');

async function verifyRule(source: Client, target: Client, rule: TableRule): Promise<TableVerification> {
  const pk = await targetPrimaryKey(target, rule.target);
  const keyExpr = pk.map((c) => `t.${quoteIdent(c)}::text`).join(` || '|' || `);
  const values = rule.sums.map((c) => `coalesce(t.${quoteIdent(c)}::text, '')`).join(` || '|' || `) || `''`;
  const identity = quoteIdent(identityOf(rule));
  // The source is transformed again here, independently of the staging copy the migration used.
  const { rows: fromSource } = await source.query<{ key: string; identity: string; value: string }>(
    `SELECT ${keyExpr} AS key, t.${identity}::text AS identity, ${values} AS value FROM (${selectSql(rule)}) t`,
  );
  const identities = [...new Set(fromSource.map((row) => row.identity))];
  const { rows: fromTarget } = await target.query<{ key: string; value: string }>(
    `SELECT ${keyExpr} AS key, ${values} AS value FROM ${quoteIdent(rule.target)} t WHERE t.${identity}::text = ANY($1::text[])`,
    [identities],
  );
  const differences: string[] = [];
  const targetByKey = new Map(fromTarget.map((row) => [row.key, row.value]));
  const sourceKeys = new Set<string>();
  for (const row of fromSource) {
    if (sourceKeys.has(row.key)) differences.push(`${rule.target} ${row.key} : en double dans la source transformée`);
    sourceKeys.add(row.key);
    const found = targetByKey.get(row.key);
    if (found === undefined) differences.push(`${rule.target} ${row.key} : absente de la cible`);
    else if (found !== row.value) differences.push(`${rule.target} ${row.key} : ${rule.sums.join('|')} source ${row.value} ≠ cible ${found}`);
  }
  for (const row of fromTarget) if (!sourceKeys.has(row.key)) differences.push(`${rule.target} ${row.key} : dans la cible mais plus dans la source`);
  const sums: TableVerification['sums'] = [];
  for (const [index, column] of rule.sums.entries()) {
    const total = (rows: { value: string }[]) => rows.reduce((sum, row) => sum + BigInt(row.value.split('|')[index] || '0'), 0n).toString();
    sums.push({ column, source: total(fromSource), target: total(fromTarget) });
  }
  return {
    source: rule.source,
    target: rule.target,
    sourceRows: fromSource.length,
    targetRows: fromTarget.length,
    sourceChecksum: checksum(fromSource.map((row) => row.key)),
    targetChecksum: checksum(fromTarget.map((row) => row.key)),
    sums,
    differences,
  };
}

/** Reads a product page through the shop's API and compares its prices with the target database. */
async function verifyProductPage(apiUrl: string, target: Client, slug: string): Promise<string | null> {
  const response = await fetch(new URL(`/api/products/${encodeURIComponent(slug)}`, apiUrl)).catch((error: Error) => error);
  if (response instanceof Error) return `API injoignable : ${response.message}`;
  if (response.status !== 200) return `GET /api/products/${slug} a répondu ${response.status}`;
  const body = (await response.json()) as { variants?: { id: string; priceCents: number }[] };
  const { rows } = await target.query<{ id: string; price_cents: number }>(
    `SELECT v.id, v.price_cents FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1 AND v.status = 'active'`,
    [slug],
  );
  const shown = new Map((body.variants ?? []).map((v) => [v.id, v.priceCents]));
  const wrong = rows.filter((row) => shown.get(row.id) !== row.price_cents);
  return wrong.length ? `prix affichés différents de la base pour ${wrong.map((r) => r.id).join(', ')}` : null;
}

/**
 * Compares source and target per mapping rule (row counts, sums, a checksum over primary keys and
 * row by row), runs the mapping's checks (orphans…) on the target, and, given the shop's URL, reads
 * a few product pages through the API. `ok` is false on any difference; differences name the rows.
 */
export async function verify(ctx: MigrationContext, options: { apiUrl?: string; sampleProducts?: number } = {}): Promise<VerifyReport> {
  return withClient(ctx.sourceUrl, 'la base source', (source) =>
    withClient(ctx.targetUrl, 'la base cible', async (target) => {
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const tables: TableVerification[] = [];
      for (const rule of ctx.mapping.tables) {
        const result = await verifyRule(source, target, rule);
        tables.push(result);
        const sums = result.sums.map((s) => `${s.column} ${s.source}${s.source === s.target ? '' : ` ≠ ${s.target}`}`).join(', ');
        ctx.log(
          `${result.differences.length ? '✗' : '✓'} ${rule.source} → ${rule.target} : ${result.sourceRows} / ${result.targetRows} lignes${sums ? `, ${sums}` : ''}, empreinte ${result.sourceChecksum === result.targetChecksum ? 'identique' : 'différente'}`,
        );
        for (const difference of result.differences.slice(0, 20)) ctx.log(`    ${difference}`);
        if (result.differences.length > 20) ctx.log(`    … et ${result.differences.length - 20} autres`);
      }
      await source.query('ROLLBACK');
      const checks: VerifyReport['checks'] = [];
      for (const item of ctx.mapping.checks) {
        const { rows } = await target.query<Record<string, unknown>>(`${item.sql} LIMIT 20`);
        checks.push({ name: item.name, rows: rows.map((row) => Object.values(row).join(' ')) });
        ctx.log(`${rows.length ? '✗' : '✓'} ${item.name}${rows.length ? ` : ${rows.map((row) => Object.values(row).join(' ')).join(', ')}` : ''}`);
      }
      const api: VerifyReport['api'] = [];
      if (options.apiUrl) {
        const { rows } = await target.query<{ slug: string }>(`SELECT slug FROM products WHERE status = 'active' ORDER BY md5(slug) LIMIT $1`, [options.sampleProducts ?? 5]);
        for (const { slug } of rows) {
          const problem = await verifyProductPage(options.apiUrl, target, slug);
          api.push({ slug, problem });
          ctx.log(`${problem ? '✗' : '✓'} page produit ${slug} via l'API${problem ? ` : ${problem}` : ''}`);
        }
      }
      const ok = tables.every((t) => t.differences.length === 0 && t.sourceChecksum === t.targetChecksum) && checks.every((c) => c.rows.length === 0) && api.every((a) => !a.problem);
      return { tables, checks, api, ok };
    }),
  );
}
