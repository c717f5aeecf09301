import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@girlycrea/api/testing';
import { addToCart, openBrowser, variantPicker, type Browser } from '@girlycrea/api/testing/shop';
import { createRedis, type CacheStore } from '@girlycrea/cache';
import { createPool, type Pool } from '@girlycrea/db';
import { createTestDatabase, type TestDatabase } from '@girlycrea/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRedisTier, type RedisTier } from '../data-tier.js';
import { testSite } from '../testing.js';

// The two Redis roles, started from their RENDERED configs (state: noeviction + AOF; cache:
// allkeys-lru), the cache squeezed to a few megabytes so 8,000 cached searches overflow it.
const CACHE_MAXMEMORY = '3mb';
const SEARCHES = 8000;

let dir: string;
let tier: RedisTier;
let database: TestDatabase;
let db: Pool;
let state: CacheStore;
let cache: CacheStore;
let app: ReturnType<typeof buildApp>;
let server: Server;
let base: string;
const admin: Partial<Record<'state' | 'cache', Redis>> = {};

/** Every key of an instance with its serialized value (DUMP) and remaining lifetime (ms, -1: none). */
async function snapshot(redis: Redis): Promise<Map<string, { value: string; pttl: number }>> {
  const keys = await redis.keys('*');
  const entries = await Promise.all(keys.map(async (key) => ({ value: (await redis.dumpBuffer(key))?.toString('base64') ?? 'gone', pttl: await redis.pttl(key) })));
  return new Map(keys.map((key, i) => [key, entries[i]!]));
}

/** The keys of `before` that cannot have expired by now (`elapsedMs` later), with their values. */
function stillAlive(before: Map<string, { value: string; pttl: number }>, elapsedMs: number): Map<string, string> {
  return new Map([...before].filter(([, { pttl }]) => pttl === -1 || pttl > elapsedMs + 2000).map(([key, { value }]) => [key, value]));
}

async function values(redis: Redis, keys: Iterable<string>): Promise<Map<string, string>> {
  const list = [...keys];
  const dumped = await Promise.all(list.map((key) => redis.dumpBuffer(key)));
  return new Map(list.map((key, i) => [key, dumped[i]?.toString('base64') ?? 'gone']));
}

async function info(redis: Redis, field: string): Promise<number> {
  const text = await redis.info();
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(text)?.[1]);
}

const wrongLogin = (browser: Browser, email: string) =>
  browser.agent.post('/api/auth/login').set('X-CSRF-Token', browser.csrf).send({ email, password: 'pas-le-bon-mot-de-passe' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gc-redis-roles-'));
  const site = await testSite(dir);
  tier = await startRedisTier(site, dir, { args: { cache: ['--maxmemory', CACHE_MAXMEMORY] } });
  admin.state = new Redis(tier.adminUrls.state);
  admin.cache = new Redis(tier.adminUrls.cache);
  database = await createTestDatabase(inject('testDb'));
  db = createPool({ url: database.pooledUrl, max: 10 });
  state = createRedis({ url: tier.urls.state });
  cache = createRedis({ url: tier.urls.cache });
  app = buildApp({ db, cache: state, responseStore: cache });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await Promise.allSettled([db?.end(), state?.close(), cache?.close(), admin.state?.quit(), admin.cache?.quit()]);
  await database?.drop();
  await tier?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Redis roles that cannot hurt each other (state: noeviction + AOF, cache: allkeys-lru)', () => {
  it('8,000 distinct cached searches leave every session, cart and rate-limit counter intact and only shrink the cache', async () => {
    const [variant] = await variantPicker(db)(1, 1000);
    const shoppers = await Promise.all(Array.from({ length: 20 }, () => openBrowser(app)));
    for (const shopper of shoppers) await addToCart(shopper, variant!.id, 2);
    const sessionsAndCarts = await snapshot(admin.state!);
    const cartsAt = Date.now();

    let searched = 0;
    const search = async (count: number) => {
      const statuses = new Map<number, number>();
      const last = searched + count;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (searched < last) {
            const i = (searched += 1);
            const res = await fetch(`${base}/api/products?q=${encodeURIComponent(`recherche introuvable ${i}`)}`);
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      // Every search is answered; a loaded test machine may shed a few with 503 (the pool's time limit).
      expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
      expect(statuses.get(200) ?? 0).toBeGreaterThanOrEqual(count * 0.99);
    };
    // Most searches first (the cache overflows), then a login throttled to 429 (counters live a
    // minute), then the rest of the searches under full memory pressure.
    await search(SEARCHES - 500);
    const victim = 'cible.eviction@exemple.fr';
    let throttled = false;
    for (let attempt = 0; attempt < 50 && !throttled; attempt += 1) throttled = (await wrongLogin(shoppers[0]!, victim)).status === 429;
    expect(throttled).toBe(true);
    const counters = await snapshot(admin.state!);
    expect([...counters.keys()].filter((key) => key.startsWith('rl:')).length).toBeGreaterThan(0);
    const started = Date.now();
    await search(500);

    // The state instance: nothing evicted; every key that cannot have expired yet is there, unchanged.
    expect(await info(admin.state!, 'evicted_keys')).toBe(0);
    const alive = stillAlive(counters, Date.now() - started);
    expect([...alive.keys()].filter((key) => key.startsWith('rl:')).length).toBeGreaterThan(0);
    expect(await values(admin.state!, alive.keys())).toEqual(alive);
    const carts = stillAlive(sessionsAndCarts, Date.now() - cartsAt);
    expect(await values(admin.state!, carts.keys())).toEqual(carts);
    expect((await wrongLogin(shoppers[0]!, victim)).status).toBe(429);
    for (const shopper of shoppers) {
      const cart = await shopper.agent.get('/api/cart');
      expect(cart.status).toBe(200);
      expect(cart.body.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 2 })]);
    }
    // The cache instance paid: it evicted, stayed under its maxmemory and holds fewer than 8,000 bodies.
    expect(await info(admin.cache!, 'evicted_keys')).toBeGreaterThan(0);
    expect(await admin.cache!.dbsize()).toBeLessThan(SEARCHES);
    // Redis evicts before each write, so between commands it may sit a few kilobytes above its limit.
    expect(await info(admin.cache!, 'used_memory')).toBeLessThanOrEqual((await info(admin.cache!, 'maxmemory')) * 1.05);
  }, 400_000);

  it('when the state Redis is full, writes answer 503 with Retry-After and a French message, reads keep working, and writes resume once there is room', async () => {
    const [variant] = await variantPicker(db)(1, 1000);
    const shopper = await openBrowser(app);
    await addToCart(shopper, variant!.id, 1);
    const [, maxmemory] = (await admin.state!.config('GET', 'maxmemory')) as [string, string];
    // Below what it already uses: every write is refused (noeviction), nothing may be dropped.
    await admin.state!.config('SET', 'maxmemory', String(Math.floor((await info(admin.state!, 'used_memory')) / 2)));
    try {
      const before = await values(admin.state!, await admin.state!.keys('*'));
      const write = await shopper.agent.post('/api/cart/items').set('X-CSRF-Token', shopper.csrf).send({ variantId: variant!.id, quantity: 1 });
      expect(write.status).toBe(503);
      expect(write.headers['retry-after']).toBeDefined();
      expect(write.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/réessayez/) });

      const cart = await shopper.agent.get('/api/cart');
      expect(cart.status).toBe(200);
      expect(cart.body.items).toEqual([expect.objectContaining({ variantId: variant!.id, quantity: 1 })]);
      expect((await fetch(`${base}/api/products`)).status).toBe(200);
      expect(await values(admin.state!, before.keys())).toEqual(before);
    } finally {
      await admin.state!.config('SET', 'maxmemory', maxmemory);
    }
    await addToCart(shopper, variant!.id, 1);
    expect((await shopper.agent.get('/api/cart')).body.items).toEqual([expect.objectContaining({ quantity: 2 })]);
  });
});
