import { deleteKeys, eventually, startRedisServer, type TestRedisServer, uniquePrefix } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from './redis.js';
import { storeImplementations } from './testing.js';
import type { CacheStore } from './store.js';

const redisUrl = inject('redisUrl');
const prefix = uniquePrefix();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeImplementations(redisUrl, prefix))('CacheStore contract (%s)', (_kind, createStore) => {
  let store: CacheStore;

  beforeAll(async () => {
    store = createStore();
  });

  afterAll(async () => {
    await store?.close();
    await deleteKeys(redisUrl, prefix);
  });

  it('answers null for a key that was never set', async () => {
    expect(await store.get('never-set')).toBeNull();
  });

  it('returns exactly what was stored, unicode included', async () => {
    const value = 'Chouchou rose poudré ✨ 🎀 « Cœur » \n ligne 2';
    await store.set('roundtrip', value, 60_000);
    expect(await store.get('roundtrip')).toBe(value);
    await store.set('roundtrip', 'remplacée', 60_000);
    expect(await store.get('roundtrip')).toBe('remplacée');
  });

  it('forgets a value once its ttl has passed', async () => {
    await store.set('short-lived', 'x', 100);
    expect(await store.get('short-lived')).toBe('x');
    await sleep(250);
    expect(await store.get('short-lived')).toBeNull();
    expect(await store.pttl('short-lived')).toBe(-2);
  });

  it('del reports how many of the given keys existed and removes them', async () => {
    await store.set('del-a', '1', 60_000);
    await store.set('del-b', '2', 60_000);
    expect(await store.del('del-a', 'del-b', 'del-missing')).toBe(2);
    expect(await store.get('del-a')).toBeNull();
    expect(await store.get('del-b')).toBeNull();
    expect(await store.del('del-a')).toBe(0);
  });

  it('incr starts at 1, counts up and keeps the window opened by the first call', async () => {
    expect(await store.incr('counter', 10_000)).toBe(1);
    const firstTtl = await store.pttl('counter');
    expect(firstTtl).toBeGreaterThan(0);
    expect(firstTtl).toBeLessThanOrEqual(10_000);
    await sleep(20);
    expect(await store.incr('counter', 10_000)).toBe(2);
    expect(await store.incr('counter', 60_000)).toBe(3);
    const laterTtl = await store.pttl('counter');
    expect(laterTtl).toBeGreaterThan(0);
    expect(laterTtl).toBeLessThanOrEqual(firstTtl);
  });

  it('incr starts a new window at 1 once the previous one has expired', async () => {
    expect(await store.incr('window', 100)).toBe(1);
    expect(await store.incr('window', 100)).toBe(2);
    await sleep(250);
    expect(await store.incr('window', 100)).toBe(1);
  });

  it('decr lowers an existing counter, never below zero, and never creates one', async () => {
    await store.incr('down', 10_000);
    await store.incr('down', 10_000);
    await store.decr('down');
    expect(await store.get('down')).toBe('1');
    await store.decr('down');
    await store.decr('down');
    expect(await store.get('down')).toBe('0');
    await store.decr('never-created');
    expect(await store.get('never-created')).toBeNull();
  });

  it('publish reaches every subscriber of the channel, and only them', async () => {
    const received: string[] = [];
    const other: string[] = [];
    await store.subscribe('canal', (message) => received.push(message));
    await store.subscribe('autre-canal', (message) => other.push(message));
    await store.publish('canal', 'catalogue');
    await store.publish('canal', 'bijoux');
    await eventually(async () => received.length === 2, 2000);
    expect(received).toEqual(['catalogue', 'bijoux']);
    expect(other).toEqual([]);
  });

  it('pttl is -2 for a key that does not exist', async () => {
    expect(await store.pttl('no-such-key')).toBe(-2);
  });

  it('sadd accumulates members and only ever extends the set lifetime', async () => {
    await store.sadd('tags', ['a'], 10_000);
    await store.sadd('tags', ['b', 'a'], 100);
    expect((await store.smembers('tags')).sort()).toEqual(['a', 'b']);
    const kept = await store.pttl('tags');
    expect(kept).toBeGreaterThan(5_000);

    await store.sadd('tags', ['c'], 60_000);
    expect((await store.smembers('tags')).sort()).toEqual(['a', 'b', 'c']);
    expect(await store.pttl('tags')).toBeGreaterThan(10_000);
  });

  it('smembers of a missing set is empty and an expired set is gone', async () => {
    expect(await store.smembers('no-such-set')).toEqual([]);
    await store.sadd('brief-set', ['x'], 100);
    await sleep(250);
    expect(await store.smembers('brief-set')).toEqual([]);
  });

  it('rejects with WRONGTYPE when a set is read as a string or a string as a set', async () => {
    await store.sadd('a-set', ['m'], 60_000);
    await expect(store.get('a-set')).rejects.toThrow(/WRONGTYPE/);
    await store.set('a-string', 'v', 60_000);
    await expect(store.smembers('a-string')).rejects.toThrow(/WRONGTYPE/);
  });

  it('ping resolves while the store is reachable', async () => {
    await expect(store.ping(1000)).resolves.toBeUndefined();
  });
});

describe('Redis store during an outage', () => {
  let server: TestRedisServer;
  let store: ReturnType<typeof createRedis>;

  beforeAll(async () => {
    server = await startRedisServer();
    store = createRedis({ url: server.url, keyPrefix: uniquePrefix() });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('fails fast while Redis is down and works again on the same client once it is back', async () => {
    await store.set('before', 'ok', 60_000);
    expect(await store.get('before')).toBe('ok');

    await server.stop();
    const startedAt = Date.now();
    await expect(store.get('before')).rejects.toThrow();
    expect(Date.now() - startedAt).toBeLessThan(2000);

    await server.start();
    const deadline = Date.now() + 5000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      try {
        await store.set('after', 'back', 60_000);
        recovered = (await store.get('after')) === 'back';
      } catch {
        await sleep(100);
      }
    }
    expect(recovered).toBe(true);
  });
});
