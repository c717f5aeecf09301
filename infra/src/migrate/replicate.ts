import { keyOf, readTables, targetPrimaryKey, type TableInfo } from './catalog.js';
import { check } from './check.js';
import { NAMES, type MigrationContext } from './context.js';
import { databaseOf, withClient, type Client } from './db.js';
import { columnSql, identityOf, quoteIdent, quoteLiteral, quoteQualified, selectSql, type TableRule } from './mapping.js';

const Q = quoteIdent(NAMES.schema);

/** The distinct source tables of the mapping, in mapping order. */
export function sourceTables(ctx: MigrationContext): string[] {
  return [...new Set(ctx.mapping.tables.map((rule) => rule.source))];
}

async function exists(client: Client, sql: string, values: unknown[]): Promise<boolean> {
  const { rowCount } = await client.query(sql, values);
  return (rowCount ?? 0) > 0;
}

/** Creates the staging copy of each source table (columns, key; no constraints) and the change queue fed by ALWAYS triggers. */
async function prepareStaging(staging: Client, tables: TableInfo[]): Promise<void> {
  await staging.query(`CREATE SCHEMA IF NOT EXISTS ${Q}`);
  await staging.query(`CREATE TABLE IF NOT EXISTS ${Q}.changes (id bigserial PRIMARY KEY, source text NOT NULL, key text)`);
  await staging.query(`CREATE TABLE IF NOT EXISTS ${Q}.state (id boolean PRIMARY KEY DEFAULT true CHECK (id), initial_done boolean NOT NULL DEFAULT false)`);
  await staging.query(`INSERT INTO ${Q}.state DEFAULT VALUES ON CONFLICT DO NOTHING`);
  await staging.query(`CREATE OR REPLACE FUNCTION ${Q}.record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO ${Q}.changes (source, key) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO ${Q}.changes (source, key) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$`);
  for (const table of tables) {
    const [schema] = table.name.split('.');
    const key = keyOf(table);
    if ('problem' in key) throw new Error(key.problem);
    await staging.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema!)}`);
    const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${c.builtin ? c.type : 'text'}`);
    await staging.query(`CREATE TABLE IF NOT EXISTS ${quoteQualified(table.name)} (${columns.join(', ')}, PRIMARY KEY (${quoteIdent(key.column)}))`);
    // One transaction: on a rerun the subscription is live, and a moment without the trigger (or with
    // it not yet ALWAYS) would let changes through unrecorded.
    await staging.query('BEGIN');
    await staging.query(
      `CREATE OR REPLACE TRIGGER girlycrea_record_change AFTER INSERT OR UPDATE OR DELETE ON ${quoteQualified(table.name)} FOR EACH ROW EXECUTE FUNCTION ${Q}.record_change(${quoteLiteral(key.column)})`,
    );
    // The subscription's apply worker runs with session_replication_role = replica: only ALWAYS triggers fire there.
    await staging.query(`ALTER TABLE ${quoteQualified(table.name)} ENABLE ALWAYS TRIGGER girlycrea_record_change`);
    await staging.query('COMMIT');
  }
}

/**
 * `start`: publication on the source, staging database + subscription (copy_data) on the target
 * server, then the initial transform into the shop's tables. Every part is skipped when it exists,
 * so a rerun resumes. The old shop keeps selling; `sync` (or `start --follow`) keeps the shop current.
 */
export async function start(ctx: MigrationContext): Promise<void> {
  await check(ctx);
  const names = sourceTables(ctx);
  const tables = await withClient(ctx.sourceUrl, 'la base source', async (source) => {
    const all = await readTables(source);
    const list = names.map((name) => all.get(name)!);
    const { rows: published } = await source.query<{ name: string }>(
      `SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1`,
      [NAMES.publication],
    );
    const same = published.length === names.length && published.every((row) => names.includes(row.name));
    if (same) {
      ctx.log(`source : publication ${NAMES.publication} déjà en place`);
    } else if (await exists(source, 'SELECT 1 FROM pg_publication WHERE pubname = $1', [NAMES.publication])) {
      await source.query(`ALTER PUBLICATION ${quoteIdent(NAMES.publication)} SET TABLE ${names.map(quoteQualified).join(', ')}`);
      ctx.log(`source : publication ${NAMES.publication} mise à jour (${names.length} tables)`);
    } else {
      await source.query(`CREATE PUBLICATION ${quoteIdent(NAMES.publication)} FOR TABLE ${names.map(quoteQualified).join(', ')}`);
      ctx.log(`source : publication ${NAMES.publication} créée (${names.length} tables)`);
    }
    return list;
  });

  const stagingName = databaseOf(ctx.stagingUrl);
  await withClient(ctx.targetUrl, 'la base cible', async (target) => {
    if (!(await exists(target, 'SELECT 1 FROM pg_database WHERE datname = $1', [stagingName]))) {
      await target.query(`CREATE DATABASE ${quoteIdent(stagingName)}`);
      ctx.log(`cible : base de transit ${stagingName} créée`);
    }
  });

  await withClient(ctx.stagingUrl, 'la base de transit', async (staging) => {
    await prepareStaging(staging, tables);
    if (!(await exists(staging, 'SELECT 1 FROM pg_subscription WHERE subname = $1', [NAMES.subscription]))) {
      // Creates the replication slot on the source; cannot run inside a transaction block.
      await staging.query(
        `CREATE SUBSCRIPTION ${quoteIdent(NAMES.subscription)} CONNECTION ${quoteLiteral(libpqConnection(ctx.sourceUrl))} PUBLICATION ${quoteIdent(NAMES.publication)} WITH (copy_data = true)`,
      );
      ctx.log(`transit : abonnement ${NAMES.subscription} créé, copie initiale lancée`);
    }
    await waitForInitialCopy(ctx, staging, names.length);
  });
  await syncUntilConsistent(ctx);
}

/**
 * Syncs, retrying while a child row arrives before its parent (a foreign key violation): right after
 * the initial copy, tables can briefly stand at different points of the source's history. Nothing of
 * a failed round is kept as done, so the retry redoes it.
 */
export async function syncUntilConsistent(ctx: MigrationContext, attempts = 30): Promise<SyncResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await sync(ctx);
    } catch (error) {
      if ((error as { code?: string }).code !== '23503' || attempt >= attempts) throw error;
      ctx.log(`transformation : ligne arrivée avant son parent (${(error as Error).message}), nouvel essai dans 1 s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** libpq accepts URLs as connection strings; kept as a function so a key=value form can replace it. */
function libpqConnection(url: string): string {
  return url;
}

async function waitForInitialCopy(ctx: MigrationContext, staging: Client, total: number): Promise<void> {
  let last = -1;
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    // Only 'r' (ready): in 's' (sync done) a table's copy may be ahead of the main apply stream, so
    // staging would not be consistent across tables (an address before its customer).
    const { rows } = await staging.query<{ ready: string; total: string }>(
      `SELECT count(*) FILTER (WHERE r.srsubstate = 'r') AS ready, count(*) AS total
       FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = $1`,
      [NAMES.subscription],
    );
    const ready = Number(rows[0]!.ready);
    if (ready !== last) ctx.log(`transit : copie initiale ${ready}/${total} tables`);
    last = ready;
    if (ready === total && Number(rows[0]!.total) === total) return;
    if (Date.now() > deadline) throw new Error('copie initiale inachevée après une heure : regardez les journaux PostgreSQL de la cible (erreurs de l’abonnement)');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What one sync did. */
export interface SyncResult {
  /** Change-queue entries consumed. */
  changes: number;
  /** Rows written (inserted or changed) per target table. */
  upserted: Record<string, number>;
  deleted: Record<string, number>;
}

interface Batch {
  rule: TableRule;
  rows: string;
  identities: unknown[] | null;
}

async function readBatch(staging: Client, rule: TableRule, key: { column: string; type: string }, keys: string[] | null, after?: unknown): Promise<{ batch: Batch; count: number; lastKey: unknown }> {
  const keyCol = `s.${quoteIdent(key.column)}`;
  const filter = keys ? `${keyCol} = ANY($1::${key.type}[])` : after === undefined ? undefined : `${keyCol} > $1::${key.type}`;
  const params = keys ? [keys] : after === undefined ? [] : [after];
  const limit = keys ? '' : ` ORDER BY ${keyCol} LIMIT 5000`;
  const sql = `SELECT coalesce(json_agg(t), '[]') AS rows, count(*) AS n, (array_agg(t.__key ORDER BY t.__key DESC))[1] AS last_key FROM (${selectSql(rule, filter).replace(/^SELECT /, `SELECT ${keyCol} AS __key, `)}${limit}) t`;
  const { rows } = await staging.query<{ rows: unknown; n: string; last_key: unknown }>(sql, params);
  let identities: unknown[] | null = null;
  if (keys) {
    const identityRule = rule.columns[identityOf(rule)]!;
    const { rows: ids } = await staging.query<{ ids: unknown[] }>(
      `SELECT coalesce(array_agg((${columnSql(identityRule)})::text), '{}') AS ids FROM (SELECT unnest($1::${key.type}[]) AS ${quoteIdent(key.column)}) s`,
      [keys],
    );
    identities = ids[0]!.ids;
  }
  return { batch: { rule, rows: JSON.stringify(rows[0]!.rows), identities }, count: Number(rows[0]!.n), lastKey: rows[0]!.last_key };
}

/** Upserts a batch's rows into its target table; rows already identical are not rewritten. */
async function upsert(target: Client, batch: Batch, pk: string[]): Promise<number> {
  const { rule } = batch;
  const columns = Object.keys(rule.columns).map(quoteIdent);
  const table = quoteIdent(rule.target);
  const rest = Object.keys(rule.columns).filter((c) => !pk.includes(c)).map(quoteIdent);
  const onConflict = rest.length
    ? `DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ')} WHERE (${rest.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `EXCLUDED.${c}`).join(', ')})`
    : 'DO NOTHING';
  const result = await target.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (${pk.map(quoteIdent).join(', ')}) ${onConflict}`,
    [batch.rows],
  );
  return result.rowCount ?? 0;
}

/** Deletes the target rows a batch's source keys own that the source no longer has. */
async function removeVanished(target: Client, batch: Batch, pk: string[]): Promise<number> {
  if (!batch.identities || batch.identities.length === 0) return 0;
  const table = quoteIdent(batch.rule.target);
  const identity = quoteIdent(identityOf(batch.rule));
  const match = pk.map((c) => `n.${quoteIdent(c)} = t.${quoteIdent(c)}`).join(' AND ');
  const result = await target.query(
    `DELETE FROM ${table} t WHERE t.${identity}::text = ANY($1::text[])
     AND NOT EXISTS (SELECT 1 FROM jsonb_populate_recordset(NULL::${table}, $2::jsonb) n WHERE ${match})`,
    [batch.identities.map(String), batch.rows],
  );
  return result.rowCount ?? 0;
}

/**
 * Turns what replicated into the staging tables since the last sync into shop rows: the first run
 * transforms every row, later runs only the keys in the change queue. One consistent snapshot of
 * staging, one target transaction (parents upserted first, vanished rows deleted children first),
 * then the consumed queue entries are deleted: a crash in between only means the same keys are redone.
 */
export async function sync(ctx: MigrationContext): Promise<SyncResult> {
  const result: SyncResult = { changes: 0, upserted: {}, deleted: {} };
  return withClient(ctx.stagingUrl, 'la base de transit', (staging) =>
    withClient(ctx.targetUrl, 'la base cible', async (target) => {
      const tables = await readTables(staging);
      await staging.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: stateRows } = await staging.query<{ initial_done: boolean }>(`SELECT initial_done FROM ${Q}.state`);
      const state = stateRows[0]!;
      // The queue entries this snapshot sees are the ones consumed (deleted) after the target commits.
      // Not a high-water mark: an entry with a smaller id can commit after a larger one.
      const { rows: queued } = await staging.query<{ id: string; source: string; key: string | null }>(`SELECT id, source, key FROM ${Q}.changes`);
      const consumed = queued.map((row) => row.id);
      const consume = () => staging.query(`DELETE FROM ${Q}.changes WHERE id = ANY($1::bigint[])`, [consumed]);
      const pks = new Map<string, string[]>();
      for (const rule of ctx.mapping.tables) pks.set(rule.target, await targetPrimaryKey(target, rule.target));
      const keyFor = (rule: TableRule) => {
        const key = keyOf(tables.get(rule.source)!);
        if ('problem' in key) throw new Error(key.problem);
        return key;
      };

      if (!state.initial_done) {
        // First transform: every row, table by table in mapping order, in batches of 5,000 keys.
        for (const rule of ctx.mapping.tables) {
          const key = keyFor(rule);
          let after: unknown;
          let total = 0;
          for (;;) {
            const { batch, count, lastKey } = await readBatch(staging, rule, key, null, after);
            if (count === 0) break;
            result.upserted[rule.target] = (result.upserted[rule.target] ?? 0) + (await upsert(target, batch, pks.get(rule.target)!));
            total += count;
            after = lastKey;
          }
          ctx.log(`transformation initiale : ${rule.source} → ${rule.target} : ${total} lignes`);
        }
        await staging.query('COMMIT');
        await consume();
        await staging.query(`UPDATE ${Q}.state SET initial_done = true`);
        return result;
      }

      result.changes = queued.length;
      const keysBySource = new Map<string, string[]>();
      for (const row of queued) {
        if (row.key === null) continue;
        const keys = keysBySource.get(row.source) ?? [];
        keys.push(row.key);
        keysBySource.set(row.source, keys);
      }
      const batches: Batch[] = [];
      for (const rule of ctx.mapping.tables) {
        const keys = [...new Set(keysBySource.get(rule.source) ?? [])];
        if (keys.length) batches.push((await readBatch(staging, rule, keyFor(rule), keys)).batch);
      }
      await staging.query('COMMIT');
      if (batches.length) {
        await target.query('BEGIN');
        try {
          for (const batch of batches) result.upserted[batch.rule.target] = (result.upserted[batch.rule.target] ?? 0) + (await upsert(target, batch, pks.get(batch.rule.target)!));
          for (const batch of [...batches].reverse()) {
            const removed = await removeVanished(target, batch, pks.get(batch.rule.target)!);
            if (removed) result.deleted[batch.rule.target] = (result.deleted[batch.rule.target] ?? 0) + removed;
          }
          await target.query('COMMIT');
        } catch (error) {
          await target.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      await consume();
      return result;
    }),
  );
}

/** Removes the subscription (and with it the slot on the source) and the publication; safe to run twice. */
export async function dropReplication(ctx: MigrationContext, options: { keepPublication?: boolean } = {}): Promise<void> {
  await withClient(ctx.stagingUrl, 'la base de transit', async (staging) => {
    if (await exists(staging, 'SELECT 1 FROM pg_subscription WHERE subname = $1', [NAMES.subscription])) {
      await staging.query(`DROP SUBSCRIPTION ${quoteIdent(NAMES.subscription)}`);
      ctx.log(`transit : abonnement ${NAMES.subscription} supprimé (et son slot sur la source)`);
    }
  }).catch(async (error: Error) => {
    if (/does not exist/.test(error.message)) return;
    throw error;
  });
  if (options.keepPublication) return;
  await withClient(ctx.sourceUrl, 'la base source', async (source) => {
    await source.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(NAMES.publication)}`);
  });
}
