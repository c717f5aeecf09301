import { deleteKeys, uniquePrefix } from '@girlycrea/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { computeEtag, createResponseCache } from './response-cache.js';
import type { CacheStore } from './store.js';
import { storeImplementations } from './testing.js';

const redisUrl = inject('redisUrl');
const prefix = uniquePrefix();

/** A build function that counts its calls and returns a new body each time. */
function countingBuild(label: string) {
  const build = async () => {
    build.calls += 1;
    return { label, call: build.calls, titre: 'Barrette « Cœur » ✨' };
  };
  build.calls = 0;
  return build;
}

describe.each(storeImplementations(redisUrl, prefix))('response cache on the %s store', (_kind, createStore) => {
  let store: CacheStore;

  beforeAll(async () => {
    store = createStore();
  });

  afterAll(async () => {
    await store?.close();
    await deleteKeys(redisUrl, prefix);
  });

  it('builds a response once, then serves the cached body with the same ETag', async () => {
    const cache = createResponseCache(store);
    const build = countingBuild('products');

    const first = await cache.wrap('products?page=1', ['products'], build);
    const second = await cache.wrap('products?page=1', ['products'], build);

    expect(build.calls).toBe(1);
    expect(JSON.parse(first.body)).toEqual({ label: 'products', call: 1, titre: 'Barrette « Cœur » ✨' });
    expect(first.etag).toBe(computeEtag(first.body));
    expect(second).toEqual(first);
    expect(await cache.get('products?page=1')).toEqual(first);
  });

  it('with a cap (a cache sharing the state Redis), stores no more bodies than the cap and still answers every request', async () => {
    const cache = createResponseCache(store, { maxEntriesPerTtl: 3 });
    const build = countingBuild('capped');
    for (let page = 1; page <= 5; page += 1) {
      expect(JSON.parse((await cache.wrap(`capped?page=${page}`, ['capped'], build)).body)).toMatchObject({ call: page });
    }
    const stored = await Promise.all([1, 2, 3, 4, 5].map((page) => cache.get(`capped?page=${page}`)));
    expect(stored.map((entry) => entry !== null)).toEqual([true, true, true, false, false]);
  });

  it('answers null from get for a key that was never wrapped', async () => {
    const cache = createResponseCache(store);
    expect(await cache.get('never-wrapped')).toBeNull();
  });

  it('invalidating a tag drops every response under it so the next wrap rebuilds, and spares other tags', async () => {
    const cache = createResponseCache(store);
    const list = countingBuild('list');
    const detail = countingBuild('detail');
    const other = countingBuild('other');

    await cache.wrap('catalog:list', ['catalog'], list);
    const oldDetail = await cache.wrap('catalog:detail', ['catalog', 'product:7'], detail);
    await cache.wrap('pages:home', ['pages'], other);

    await cache.invalidate('catalog');

    expect(await cache.get('catalog:list')).toBeNull();
    expect(await cache.get('catalog:detail')).toBeNull();
    const newDetail = await cache.wrap('catalog:detail', ['catalog', 'product:7'], detail);
    await cache.wrap('catalog:list', ['catalog'], list);
    await cache.wrap('pages:home', ['pages'], other);

    expect(list.calls).toBe(2);
    expect(detail.calls).toBe(2);
    expect(other.calls).toBe(1);
    expect(newDetail.etag).not.toBe(oldDetail.etag);
  });

  it('a response built while an invalidation ran is answered but not kept (it may hold the data from before)', async () => {
    const cache = createResponseCache(store);
    let call = 0;
    const racing = async () => {
      call += 1;
      // The change commits and is invalidated while this build is reading.
      if (call === 1) await cache.invalidate('racing');
      return { call };
    };
    expect(JSON.parse((await cache.wrap('racing-entry', ['racing'], racing)).body)).toEqual({ call: 1 });
    expect(await cache.get('racing-entry')).toBeNull();
    expect(JSON.parse((await cache.wrap('racing-entry', ['racing'], racing)).body)).toEqual({ call: 2 });
    expect(await cache.get('racing-entry')).not.toBeNull();
  });

  it('invalidating a tag that holds nothing leaves other tags cached', async () => {
    const cache = createResponseCache(store);
    const kept = countingBuild('gardé');
    await cache.wrap('kept', ['other-tag'], kept);
    await cache.invalidate('tag-without-entries');
    await cache.wrap('kept', ['other-tag'], kept);
    expect(kept.calls).toBe(1);
  });
});

describe('response cache on a failing store', () => {
  const failure = new Error('store down');
  const fail = () => Promise.reject(failure);
  // A test double: every operation rejects, like Redis while unreachable.
  const brokenStore: CacheStore = {
    kind: 'redis',
    get: fail,
    set: fail,
    del: fail,
    incr: fail,
    decr: fail,
    publish: fail,
    subscribe: fail,
    pttl: fail,
    sadd: fail,
    smembers: fail,
    hgetall: fail,
    hincrCapped: fail,
    hset: fail,
    hdel: fail,
    ping: fail,
    close: async () => {},
  };

  it('builds on every call, reports each failure to onError and never throws', async () => {
    const errors: unknown[] = [];
    const cache = createResponseCache(brokenStore, { onError: (error) => errors.push(error) });
    const build = countingBuild('degraded');

    const first = await cache.wrap('k', ['t'], build);
    const second = await cache.wrap('k', ['t'], build);

    expect(build.calls).toBe(2);
    expect(JSON.parse(first.body)).toMatchObject({ call: 1 });
    expect(JSON.parse(second.body)).toMatchObject({ call: 2 });
    expect(second.etag).toBe(computeEtag(second.body));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((error) => error === failure)).toBe(true);
    expect(await cache.get('k')).toBeNull();
  });

  it('without onError still degrades to building instead of throwing', async () => {
    const cache = createResponseCache(brokenStore);
    const build = countingBuild('silent');
    await expect(cache.wrap('k', ['t'], build)).resolves.toMatchObject({ etag: expect.stringMatching(/^"/) });
    expect(build.calls).toBe(1);
  });
});

describe('computeEtag', () => {
  it('is a quoted strong ETag, stable for one body and different for another', () => {
    const body = JSON.stringify({ items: [{ id: 1, titre: 'Chouchou' }] });
    expect(computeEtag(body)).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(computeEtag(body)).toBe(computeEtag(String(body)));
    expect(computeEtag(body)).not.toBe(computeEtag(JSON.stringify({ items: [{ id: 2, titre: 'Chouchou' }] })));
    expect(computeEtag('')).not.toBe(computeEtag(' '));
  });
});
