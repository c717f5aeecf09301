import { readFile } from 'node:fs/promises';
import { migrate } from '@girlycrea/db/migrate';
import { adminQuery, createEmptyDatabase } from '@girlycrea/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { check } from './check.js';
import { MigrationStop, NAMES, type MigrationContext } from './context.js';
import { cutover, type CutoverResult } from './cutover.js';
import { databaseOf, withDatabaseName } from './db.js';
import { DEFAULT_MAPPING_FILE, loadMapping, type Mapping } from './mapping.js';
import { dropReplication, start, sync } from './replicate.js';
import { startPostgresCluster, type PostgresCluster } from './testing/postgres-cluster.js';
import { startLegacyWriter, type LegacyWriter } from './testing/legacy-writer.js';
import { verify } from './verify.js';

const FIXTURE = new URL('./testing/legacy-fixture.sql', import.meta.url);

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('leaving Supabase: logical replication into the shop, then a cutover of seconds', () => {
  let legacy: PostgresCluster;
  let target: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let mapping: Mapping;
  let ctx: MigrationContext;
  const lines: string[] = [];

  beforeAll(async () => {
    const env = inject('testDb');
    [legacy, target] = await Promise.all([
      startPostgresCluster({ wal_level: 'logical', max_wal_senders: '10', max_replication_slots: '10' }),
      createEmptyDatabase(env),
    ]);
    await Promise.all([query(legacy.url(), await readFile(FIXTURE, 'utf8')), migrate(target.url)]);
    mapping = await loadMapping(DEFAULT_MAPPING_FILE);
    ctx = { sourceUrl: legacy.url(), targetUrl: target.url, stagingUrl: withDatabaseName(target.url, `${target.name}_legacy`), mapping, log: (line) => lines.push(line) };
  }, 120_000);

  afterAll(async () => {
    if (ctx) await dropReplication(ctx).catch(() => undefined);
    if (target) await adminQuery(inject('testDb').adminUrl, `DROP DATABASE IF EXISTS "${databaseOf(ctx.stagingUrl)}" WITH (FORCE)`).catch(() => undefined);
    await target?.drop();
    await legacy?.stop();
  }, 60_000);

  it('check reports what will move, writes nothing, and names unmapped columns', async () => {
    const report = await check(ctx);
    expect(report.rows.find((r) => r.target === 'orders')?.rows).toBe(5000);
    expect(report.rows.find((r) => r.target === 'customers')?.rows).toBe(501);
    expect(report.storageObjects).toBe(400);
    expect(report.warnings.join('\n')).not.toContain('public.orders');
    expect(await query(legacy.url(), 'SELECT 1 FROM pg_publication')).toHaveLength(0);
  });

  it('check stops before writing anything on a mapped column that does not exist, naming it', async () => {
    const bad = structuredClone(mapping);
    const orders = bad.tables.find((t) => t.target === 'orders')!;
    orders.columns.total_cents = { from: 'grand_total', convert: 'eurosToCents' };
    const error = await check({ ...ctx, mapping: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationStop);
    expect((error as Error).message).toContain("la colonne public.orders.grand_total n'existe pas");
    expect(await query(legacy.url(), 'SELECT 1 FROM pg_publication')).toHaveLength(0);
    expect(await query(target.url, 'SELECT 1 FROM pg_database WHERE datname = $1', [databaseOf(ctx.stagingUrl)])).toHaveLength(0);
  });

  it('check stops on a mapped table without primary key', async () => {
    const bad = structuredClone(mapping);
    bad.tables.push({ source: 'public.newsletter_signups', target: 'customers', identity: 'email', columns: { email: { from: 'email' } }, ignore: [], sums: [] });
    const error = await check({ ...ctx, mapping: bad }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("la table public.newsletter_signups n'a pas de clé primaire");
  });

  it('check stops on a source without wal_level = logical', async () => {
    const plain = await startPostgresCluster({ wal_level: 'replica' });
    try {
      const error = await check({ ...ctx, sourceUrl: plain.url() }).catch((e: unknown) => e);
      expect((error as Error).message).toContain('wal_level vaut « replica »');
      expect(await query(plain.url(), 'SELECT 1 FROM pg_publication')).toHaveLength(0);
    } finally {
      await plain.stop();
    }
  }, 30_000);

  describe('while the old shop keeps selling', () => {
    let writer: LegacyWriter;
    let result: CutoverResult;

    it('start copies everything and keeps transforming what arrives', async () => {
      writer = await startLegacyWriter(legacy.url());
      await start(ctx);
      const before = writer.acknowledged.size;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const synced = await sync(ctx);
      expect(writer.acknowledged.size).toBeGreaterThan(before);
      expect(synced.changes).toBeGreaterThan(0);
      expect(synced.upserted.orders).toBeGreaterThan(0);
      const [count] = await query<{ n: string }>(target.url, 'SELECT count(*) AS n FROM orders');
      expect(Number(count!.n)).toBeGreaterThanOrEqual(5000 + before);
    }, 120_000);

    it('cutover freezes the writer, catches up, sets sequences, and verify finds every acknowledged order with its total', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await cutover(ctx, { freeze: () => writer.stop() });
      console.log(`write-downtime ${result.writeDowntimeMs} ms`, result.steps);
      const report = await verify(ctx);
      expect(report.tables.flatMap((t) => t.differences)).toEqual([]);
      expect(report.ok).toBe(true);
      const ids = [...writer.acknowledged.keys()];
      const rows = await query<{ number: string; total_cents: number }>(
        target.url,
        `SELECT number, total_cents FROM orders WHERE id = ANY(ARRAY(SELECT md5('orders:' || x)::uuid FROM unnest($1::text[]) x))`,
        [ids],
      );
      expect(rows).toHaveLength(ids.length);
      const byNumber = new Map(rows.map((r) => [r.number, r.total_cents]));
      for (const order of writer.acknowledged.values()) expect(byNumber.get(`GC-${order.id.padStart(6, '0')}`)).toBe(order.totalCents);
      const [sequence] = await query<{ last: string }>(target.url, 'SELECT last_value::text AS last FROM order_number_seq');
      const [legacyMax] = await query<{ max: string }>(legacy.url(), 'SELECT max(id)::text AS max FROM public.orders');
      expect(BigInt(sequence!.last)).toBeGreaterThanOrEqual(BigInt(legacyMax!.max));
      expect(await query(ctx.stagingUrl, 'SELECT 1 FROM pg_subscription WHERE subname = $1', [NAMES.subscription])).toHaveLength(0);
    }, 120_000);
  });
});
