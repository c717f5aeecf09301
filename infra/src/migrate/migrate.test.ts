import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@girlycrea/api/testing';
import { createRedis, type CacheStore } from '@girlycrea/cache';
import { createPool, type Pool } from '@girlycrea/db';
import { migrate } from '@girlycrea/db/migrate';
import { adminQuery, createEmptyDatabase, startRedisServer, type TestRedisServer } from '@girlycrea/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import { check } from './check.js';
import { MigrationStop, NAMES, type MigrationContext } from './context.js';
import { cutover, type CutoverResult } from './cutover.js';
import { databaseOf, withDatabaseName } from './db.js';
import { DEFAULT_MAPPING_FILE, loadMapping, type Mapping } from './mapping.js';
import { dropReplication, start, sync } from './replicate.js';
import { copyRedis } from './redis-copy.js';
import { createShopClient } from './shop-client.js';
import { copyStorage } from './storage.js';
import { startLegacyWriter, type LegacyWriter } from './testing/legacy-writer.js';
import { startPostgresCluster, type PostgresCluster } from './testing/postgres-cluster.js';
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

// The measured write-downtime is kept with the benchmark results (bench/results/latest.json, git-ignored).
async function recordDowntime(result: CutoverResult): Promise<void> {
  const path = join(REPO_ROOT, 'bench', 'results', 'latest.json');
  const previous = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  const migration = { measuredAt: new Date().toISOString(), fixture: '5 000 commandes, 501 clientes, 200 produits × 3 variantes + écritures continues', ...result };
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify({ ...previous, migration }, null, 2)}\n`);
}

describe('leaving Supabase: logical replication into the shop, then a cutover of seconds', () => {
  let legacy: PostgresCluster;
  let target: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let mapping: Mapping;
  let ctx: MigrationContext;
  const lines: string[] = [];
  let oldRedis: TestRedisServer;
  let newRedis: TestRedisServer;
  let shopDb: Pool;
  let shopCache: CacheStore;
  let shop: Server;
  let shopUrl: string;

  beforeAll(async () => {
    const env = inject('testDb');
    [legacy, target] = await Promise.all([
      startPostgresCluster({ wal_level: 'logical', max_wal_senders: '10', max_replication_slots: '10' }),
      createEmptyDatabase(env),
    ]);
    await Promise.all([query(legacy.url(), await readFile(FIXTURE, 'utf8')), migrate(target.url)]);
    [oldRedis, newRedis] = await Promise.all([startRedisServer(), startRedisServer()]);
    mapping = await loadMapping(DEFAULT_MAPPING_FILE);
    ctx = { sourceUrl: legacy.url(), targetUrl: target.url, stagingUrl: withDatabaseName(target.url, `${target.name}_legacy`), mapping, log: (line) => lines.push(line) };
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => (shop ? shop.close(resolve) : resolve(undefined)));
    await Promise.allSettled([shopDb?.end(), shopCache?.close()]);
    await Promise.allSettled([oldRedis?.stop(), newRedis?.stop()]);
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
    const lax = structuredClone(mapping);
    lax.tables.find((t) => t.target === 'orders')!.ignore = [];
    delete lax.ignoreTables['public.profiles'];
    const laxReport = await check({ ...ctx, mapping: lax });
    expect(laxReport.warnings).toContain('public.orders : colonnes non reprises (ni mappées ni dans « ignore ») : stripe_payment_intent');
    expect(laxReport.warnings).toContain('public.profiles : table non reprise (ni mappée ni dans « ignoreTables »)');
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
      // Resumable: a second start finds everything in place and only applies what is new.
      lines.length = 0;
      await start(ctx);
      expect(lines.join('\n')).not.toMatch(/créée|créé/);
      expect(lines.join('\n')).not.toContain('transformation initiale');
    }, 120_000);

    it('cutover freezes the writer, catches up, sets sequences, and verify finds every acknowledged order with its total', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await cutover(ctx, { freeze: () => writer.stop() });
      await recordDowntime(result);
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
      // Deletions replicate too: addresses the old shop removed during the migration are gone here.
      const [kept] = await query<{ n: string }>(legacy.url(), `SELECT count(*) AS n FROM public.addresses WHERE street = '1 rue Neuve'`);
      const [moved] = await query<{ n: string }>(target.url, `SELECT count(*) AS n FROM addresses WHERE line1 = '1 rue Neuve'`);
      expect(Number(kept!.n)).toBeLessThan(writer.customers);
      expect(moved!.n).toBe(kept!.n);
      expect(await query(ctx.stagingUrl, 'SELECT 1 FROM pg_subscription WHERE subname = $1', [NAMES.subscription])).toHaveLength(0);
    }, 120_000);
    it('the migrated shop serves the catalog and a new order gets a fresh number past the legacy ones', async () => {
      shopDb = createPool({ url: target.url, max: 4 });
      shopCache = createRedis({ url: newRedis.url });
      shop = createServer(buildApp({ db: shopDb, cache: shopCache }));
      await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
      shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
      const report = await verify(ctx, { apiUrl: shopUrl, sampleProducts: 3 });
      expect(report.api).toHaveLength(3);
      expect(report.api.every((a) => a.problem === null)).toBe(true);

      const [variant] = await query<{ id: string }>(target.url, `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND v.stock > 0 ORDER BY v.sku LIMIT 1`);
      const client = createShopClient(shopUrl);
      await client.openSession();
      expect((await client.request('POST', '/api/cart/items', { variantId: variant!.id, quantity: 1 })).status).toBe(200);
      const placed = await client.request(
        'POST',
        '/api/checkout',
        { email: 'apres.bascule@exemple.fr', shippingAddress: { name: 'Après Bascule', line1: '3 rue Neuve', postalCode: '75011', city: 'Paris', phone: '06 12 34 56 78' }, shippingMethodId: 'colissimo', paymentProvider: 'test' },
        { 'idempotency-key': 'apres-bascule-1' },
      );
      expect(placed.status).toBe(201);
      const number = (placed.body.order as { number: string }).number;
      expect(Number(number.slice(3))).toBe(Number(result.sequences[0]!.value) + 1);
      expect(await query(target.url, 'SELECT 1 FROM orders WHERE number = $1', [number])).toHaveLength(1);
    });

    it('a legacy customer signs in with her old Supabase password, and her hash becomes argon2id', async () => {
      const [before] = await query<{ password_hash: string }>(target.url, `SELECT password_hash FROM customers WHERE email = 'margaux.historique@exemple.fr'`);
      expect(before!.password_hash).toMatch(/^\$2[ab]\$10\$/);
      const client = createShopClient(shopUrl);
      await client.openSession();
      const wrong = await client.request('POST', '/api/auth/login', { email: 'margaux.historique@exemple.fr', password: 'pas-le-bon-mot-de-passe' });
      expect(wrong.status).toBe(401);
      const res = await client.request('POST', '/api/auth/login', { email: 'Margaux.Historique@exemple.fr', password: 'Violette-Pivoine-1987' });
      expect(res.status).toBe(200);
      const [after] = await query<{ password_hash: string }>(target.url, `SELECT password_hash FROM customers WHERE email = 'margaux.historique@exemple.fr'`);
      expect(after!.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('redis: keys move with their TTL (± 1 s), sessions stay behind, and a legacy cart becomes her cart', async () => {
      const [margaux] = await query<{ id: string }>(legacy.url(), `SELECT id FROM auth.users WHERE email = 'margaux.historique@exemple.fr'`);
      const variants = await query<{ id: string }>(legacy.url(), `SELECT v.id FROM public.product_variants v JOIN public.products p ON p.id = v.product_id WHERE p.is_published ORDER BY v.sku LIMIT 2`);
      const { Redis } = await import('ioredis');
      const old = new Redis(oldRedis.url);
      const fresh = new Redis(newRedis.url);
      try {
        await old.set('compteur:visites', '42', 'PX', 90_000);
        await old.hset('prefs:theme', { mode: 'sombre' });
        await old.pexpire('prefs:theme', 3_600_000);
        await old.rpush('file:newsletter', 'a@exemple.fr', 'b@exemple.fr');
        await old.sadd('tags:ete', 'lin', 'coton');
        await old.zadd('top:ventes', 3, 'creation-1', 7, 'creation-2');
        await old.set('session:abc', '{"user":"x"}', 'EX', 3600);
        await old.set(`cart:${margaux!.id}`, JSON.stringify({ items: [{ variant_id: variants[0]!.id, qty: 2 }, { variant_id: variants[1]!.id, qty: 1 }, { variant_id: 'pas-un-uuid', qty: 1 }], coupon: 'ete2025' }), 'EX', 86_400);
        await old.set('ephemere', 'x', 'PX', 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const report = await copyRedis(oldRedis.url, newRedis.url, mapping.redis, (line) => lines.push(line));
        expect(report.carts).toBe(1);
        expect(report.badCartLines).toBe(1);
        expect(report.skipped['session:*']).toBe(1);
        for (const key of ['compteur:visites', 'prefs:theme']) {
          const [a, b] = await Promise.all([old.pttl(key), fresh.pttl(key)]);
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1000);
          expect(b).toBeGreaterThan(0);
        }
        expect(await fresh.get('compteur:visites')).toBe('42');
        expect(await fresh.pttl('file:newsletter')).toBe(-1);
        expect(await fresh.lrange('file:newsletter', 0, -1)).toEqual(['a@exemple.fr', 'b@exemple.fr']);
        expect((await fresh.smembers('tags:ete')).sort()).toEqual(['coton', 'lin']);
        expect(await fresh.zrange('top:ventes', 0, -1, 'WITHSCORES')).toEqual(['creation-1', '3', 'creation-2', '7']);
        expect(await fresh.exists('session:abc', 'ephemere')).toBe(0);
        expect(Math.abs((await fresh.pttl(`cart:user:${margaux!.id}`)) - 86_400_000)).toBeLessThanOrEqual(2000);
      } finally {
        old.disconnect();
        fresh.disconnect();
      }
      const client = createShopClient(shopUrl);
      await client.openSession();
      expect((await client.request('POST', '/api/auth/login', { email: 'margaux.historique@exemple.fr', password: 'Violette-Pivoine-1987' })).status).toBe(200);
      const cart = await client.request('GET', '/api/cart');
      expect(cart.status).toBe(200);
      const items = cart.body.items as { variantId: string; quantity: number }[];
      expect(items.map((i) => [i.variantId, i.quantity]).sort()).toEqual([[variants[0]!.id, 2], [variants[1]!.id, 1]].sort());
      expect(cart.body.discountCode).toBe('ETE2025');
    });

    it('storage: every image of the bucket lands in the uploads folder at the path the catalog uses; a rerun downloads nothing', async () => {
      const uploads = await mkdtemp(join(tmpdir(), 'gc-uploads-'));
      const requests: string[] = [];
      // Supabase Storage's object API, as a stand-in: the service key is required, bytes come back.
      const supabase = createServer((req, res) => {
        requests.push(req.url ?? '');
        const prefix = '/storage/v1/object/product-images/';
        if (req.headers.authorization !== 'Bearer cle-service' || !req.url?.startsWith(prefix)) return void res.writeHead(401).end();
        res.writeHead(200, { 'content-type': 'image/png' }).end(`png:${decodeURIComponent(req.url.slice(prefix.length))}`);
      });
      await new Promise<void>((resolve) => supabase.listen(0, '127.0.0.1', resolve));
      try {
        const [first] = await query<{ url: string }>(target.url, 'SELECT url FROM product_images ORDER BY url LIMIT 1');
        const existing = join(uploads, first!.url.slice('/uploads/'.length));
        await mkdir(join(existing, '..'), { recursive: true });
        await writeFile(existing, 'déjà là');
        const options = { sourceUrl: legacy.url(), supabaseUrl: `http://127.0.0.1:${(supabase.address() as AddressInfo).port}`, serviceKey: 'cle-service', bucket: 'product-images', uploadsDir: uploads, to: '', log: (line: string) => lines.push(line) };
        const report = await copyStorage(options);
        expect(report).toMatchObject({ listed: 400, downloaded: 399, skipped: 1, failed: [] });
        expect(await readFile(existing, 'utf8')).toBe('déjà là');
        const urls = await query<{ url: string }>(target.url, 'SELECT url FROM product_images ORDER BY url DESC LIMIT 3');
        for (const { url } of urls) expect(await readFile(join(uploads, url.slice('/uploads/'.length)), 'utf8')).toBe(`png:${url.slice('/uploads/'.length)}`);
        requests.length = 0;
        expect(await copyStorage(options)).toMatchObject({ downloaded: 0, skipped: 400 });
        expect(requests).toEqual([]);
      } finally {
        await new Promise((resolve) => supabase.close(resolve));
        await rm(uploads, { recursive: true, force: true });
      }
    });
  });
});
