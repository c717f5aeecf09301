import { deleteKeys, eventually, startRedisServer, type TestRedisServer, uniquePrefix } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from './redis.js';
import { storeImplementations } from './testing.js';
import { CacheUnavailableError, type CacheStore } from './store.js';

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

  it('hgetall of a missing hash is empty; fields come back in the order they were first set, integer-like names included', async () => {
    expect(await store.hgetall('no-such-hash')).toEqual(new Map());
    const limits = { max: 99, maxFields: 10, ttlMs: 60_000 };
    await store.hincrCapped('ordered', 'zèbre', { ...limits, by: 1 });
    await store.hincrCapped('ordered', '42', { ...limits, by: 2 });
    await store.hset('ordered', 'note', 'rose poudré ✨', { ttlMs: 60_000 });
    await store.hincrCapped('ordered', 'zèbre', { ...limits, by: 1 });
    expect([...(await store.hgetall('ordered'))]).toEqual([
      ['zèbre', '2'],
      ['42', '2'],
      ['note', 'rose poudré ✨'],
    ]);
  });

  it('hincrCapped adds within max, refuses a sum above it without writing, and sets the lifetime on each change', async () => {
    const limits = { max: 5, maxFields: 10, ttlMs: 10_000 };
    expect(await store.hincrCapped('capped', 'a', { ...limits, by: 3 })).toEqual({ outcome: 'applied', previous: 0, hash: new Map([['a', '3']]) });
    expect((await store.pttl('capped')) > 9_000).toBe(true);
    expect(await store.hincrCapped('capped', 'a', { ...limits, by: 2, ttlMs: 60_000 })).toEqual({ outcome: 'applied', previous: 3, hash: new Map([['a', '5']]) });
    expect(await store.pttl('capped')).toBeGreaterThan(50_000);
    expect(await store.hincrCapped('capped', 'a', { ...limits, by: 1 })).toEqual({ outcome: 'over_max', previous: 5, hash: new Map([['a', '5']]) });
    // A refused change leaves the lifetime alone.
    expect(await store.pttl('capped')).toBeGreaterThan(50_000);
    // A new field above max is not created.
    expect((await store.hincrCapped('capped', 'b', { ...limits, by: 6 })).outcome).toBe('over_max');
    expect(await store.hgetall('capped')).toEqual(new Map([['a', '5']]));
  });

  it('hincrCapped refuses a new field beyond maxFields, not counting the uncounted ones, and still grows existing fields', async () => {
    const limits = { max: 99, maxFields: 2, ttlMs: 60_000, uncounted: ['meta'] };
    await store.hset('fields', 'meta', 'x', { ttlMs: 60_000 });
    expect((await store.hincrCapped('fields', 'a', { ...limits, by: 1 })).outcome).toBe('applied');
    expect((await store.hincrCapped('fields', 'b', { ...limits, by: 1 })).outcome).toBe('applied');
    const refused = await store.hincrCapped('fields', 'c', { ...limits, by: 1 });
    expect(refused).toMatchObject({ outcome: 'too_many_fields', previous: 0 });
    expect([...refused.hash.keys()]).toEqual(['meta', 'a', 'b']);
    expect((await store.hincrCapped('fields', 'a', { ...limits, by: 1 })).outcome).toBe('applied');
    expect((await store.hincrCapped('fields', 'c', { ...limits, by: 1, uncounted: [] })).outcome).toBe('too_many_fields');
  });

  it('hincrCapped with clamp adds what fits under max and never lowers a field already above it', async () => {
    const limits = { max: 10, maxFields: 5, ttlMs: 60_000, clamp: true };
    expect(await store.hincrCapped('clamped', 'a', { ...limits, by: 7 })).toMatchObject({ outcome: 'applied', previous: 0 });
    expect(await store.hincrCapped('clamped', 'a', { ...limits, by: 7 })).toMatchObject({ outcome: 'applied', previous: 7, hash: new Map([['a', '10']]) });
    expect(await store.hincrCapped('clamped', 'a', { ...limits, by: 1, max: 4 })).toMatchObject({ outcome: 'over_max', previous: 10, hash: new Map([['a', '10']]) });
    expect(await store.hincrCapped('clamped', 'b', { ...limits, by: 3, max: 0 })).toMatchObject({ outcome: 'over_max', hash: new Map([['a', '10']]) });
  });

  it('hincrCapped is atomic: 50 concurrent increments of 1 count exactly, and exactly max of them pass a cap', async () => {
    const limits = { maxFields: 50, ttlMs: 60_000 };
    const free = await Promise.all(Array.from({ length: 50 }, () => store.hincrCapped('concurrent', 'line', { ...limits, by: 1, max: 99 })));
    expect(free.every((r) => r.outcome === 'applied')).toBe(true);
    expect(free.map((r) => r.previous).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await store.hgetall('concurrent')).get('line')).toBe('50');

    const capped = await Promise.all(Array.from({ length: 50 }, () => store.hincrCapped('concurrent-capped', 'line', { ...limits, by: 1, max: 30 })));
    expect(capped.filter((r) => r.outcome === 'applied')).toHaveLength(30);
    expect(capped.filter((r) => r.outcome === 'over_max')).toHaveLength(20);
    expect((await store.hgetall('concurrent-capped')).get('line')).toBe('30');

    const lines = await Promise.all(Array.from({ length: 60 }, (_, i) => store.hincrCapped('concurrent-lines', `line-${i}`, { ...limits, by: 1, max: 99 })));
    expect(lines.filter((r) => r.outcome === 'applied')).toHaveLength(50);
    expect((await store.hgetall('concurrent-lines')).size).toBe(50);
  });

  it('hincrCapped rejects a step that is not a positive integer', async () => {
    await expect(store.hincrCapped('bad-step', 'a', { by: 0, max: 10, maxFields: 1, ttlMs: 1000 })).rejects.toThrow(RangeError);
    await expect(store.hincrCapped('bad-step', 'a', { by: 1.5, max: 10, maxFields: 1, ttlMs: 1000 })).rejects.toThrow(RangeError);
    expect(await store.pttl('bad-step')).toBe(-2);
  });

  it('hset writes always, only over an existing field, or only a missing one, and reports whether it wrote', async () => {
    expect(await store.hset('set-when', 'a', '1', { ttlMs: 60_000, when: 'exists' })).toEqual({ written: false, hash: new Map() });
    expect(await store.pttl('set-when')).toBe(-2);
    expect(await store.hset('set-when', 'a', '1', { ttlMs: 60_000, when: 'missing' })).toEqual({ written: true, hash: new Map([['a', '1']]) });
    expect(await store.hset('set-when', 'a', '2', { ttlMs: 60_000, when: 'missing' })).toEqual({ written: false, hash: new Map([['a', '1']]) });
    expect(await store.hset('set-when', 'a', '3', { ttlMs: 60_000, when: 'exists' })).toEqual({ written: true, hash: new Map([['a', '3']]) });
    expect(await store.hset('set-when', 'b', 'x', { ttlMs: 60_000 })).toEqual({ written: true, hash: new Map([['a', '3'], ['b', 'x']]) });
    expect(await store.pttl('set-when')).toBeGreaterThan(50_000);
  });

  it('hdel removes fields, renews the lifetime of what remains, and an emptied hash is gone', async () => {
    await store.hset('to-empty', 'a', '1', { ttlMs: 1_000 });
    await store.hset('to-empty', 'b', '2', { ttlMs: 1_000 });
    expect(await store.hdel('to-empty', ['a', 'missing'], 60_000)).toEqual(new Map([['b', '2']]));
    expect(await store.pttl('to-empty')).toBeGreaterThan(50_000);
    expect(await store.hdel('to-empty', ['b'], 60_000)).toEqual(new Map());
    expect(await store.pttl('to-empty')).toBe(-2);
    expect(await store.hdel('never-a-hash', ['x'], 60_000)).toEqual(new Map());
    expect(await store.pttl('never-a-hash')).toBe(-2);
  });

  it('a hash expires with its lifetime', async () => {
    await store.hset('brief-hash', 'a', '1', { ttlMs: 100 });
    await sleep(250);
    expect(await store.hgetall('brief-hash')).toEqual(new Map());
    expect(await store.pttl('brief-hash')).toBe(-2);
  });

  it('rejects with WRONGTYPE when a string is used as a hash or a hash as a string or a set', async () => {
    await store.set('plain', 'v', 60_000);
    await expect(store.hgetall('plain')).rejects.toThrow(/WRONGTYPE/);
    await expect(store.hincrCapped('plain', 'a', { by: 1, max: 9, maxFields: 9, ttlMs: 1000 })).rejects.toThrow(/WRONGTYPE/);
    await expect(store.hset('plain', 'a', '1', { ttlMs: 1000 })).rejects.toThrow(/WRONGTYPE/);
    await expect(store.hdel('plain', ['a'], 1000)).rejects.toThrow(/WRONGTYPE/);
    expect(await store.get('plain')).toBe('v');
    await store.hset('a-hash', 'f', '1', { ttlMs: 60_000 });
    await expect(store.get('a-hash')).rejects.toThrow(/WRONGTYPE/);
    await expect(store.smembers('a-hash')).rejects.toThrow(/WRONGTYPE/);
    await expect(store.sadd('a-hash', ['m'], 1000)).rejects.toThrow(/WRONGTYPE/);
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

  it('frozen: the first commands give up after 1.5 s, the next fail at once, and the client works again once Redis wakes', async () => {
    await store.set('frozen', 'ok', 60_000);
    server.signal('SIGSTOP');
    try {
      const timed = async (command: () => Promise<unknown>) => {
        const startedAt = Date.now();
        await expect(command()).rejects.toThrow(CacheUnavailableError);
        return Date.now() - startedAt;
      };
      // The second command is queued behind the first one's pipeline: it still gives up in time.
      const [first, second] = await Promise.all([timed(() => store.get('frozen')), sleep(20).then(() => timed(() => store.get('frozen')))]);
      expect(first).toBeGreaterThanOrEqual(1400);
      expect(first).toBeLessThan(2000);
      expect(second).toBeLessThan(2000);
      expect(await timed(() => store.incr('frozen-counter', 60_000))).toBeLessThan(100);
    } finally {
      server.signal('SIGCONT');
    }
    const deadline = Date.now() + 5000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      recovered = (await store.get('frozen').catch(() => null)) === 'ok';
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
  });
});
