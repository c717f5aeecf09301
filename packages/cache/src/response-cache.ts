import { createHash, randomUUID } from 'node:crypto';
import type { CacheStore } from './store.js';

/** A serialized response ready to send as is. */
export interface CachedResponse {
  etag: string;
  body: string;
}

/** Options of the response cache. */
export interface ResponseCacheOptions {
  ttlMs?: number;
  /**
   * At most this many bodies stored per `ttlMs` window (so at most twice as many alive), for a cache
   * sharing the state Redis, which never evicts. Default: no cap (a cache instance evicts by itself).
   */
  maxEntriesPerTtl?: number;
  /** Called when the store fails; the cache then behaves as a miss so reads keep working. */
  onError?: (error: unknown) => void;
}

const COUNT = 'rc-count';
// Changed by every invalidation: a response built while one ran is not kept (see wrap).
const GENERATION_KEY = 'rc-generation';

/** Computes a strong ETag for a response body. */
export function computeEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Caches serialized JSON bodies with their ETag, grouped by tag so one write invalidates every
 * response built from the data it changed. Store failures on reads degrade to misses.
 */
export function createResponseCache(store: CacheStore, options: ResponseCacheOptions = {}) {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const entryKey = (key: string) => `rc:${key}`;
  const tagKey = (tag: string) => `rc-tag:${tag}`;

  return {
    /** Returns the cached response, or null on a miss or a store failure. */
    async get(key: string): Promise<CachedResponse | null> {
      try {
        const raw = await store.get(entryKey(key));
        if (raw === null) return null;
        const newline = raw.indexOf('\n');
        return { etag: raw.slice(0, newline), body: raw.slice(newline + 1) };
      } catch (error) {
        options.onError?.(error);
        return null;
      }
    },

    /**
     * Returns the cached response for `key`, or builds, stores and returns it. A response whose build
     * overlapped an invalidation (it may have read the data from before the change) is returned to
     * its caller but not kept: without that check it would outlive the invalidation by a whole TTL.
     */
    async wrap(key: string, tags: string[], build: () => Promise<unknown>): Promise<CachedResponse> {
      const cached = await this.get(key);
      if (cached) return cached;
      const generation = await store.get(GENERATION_KEY).catch(() => undefined);
      const body = JSON.stringify(await build());
      const response = { etag: computeEtag(body), body };
      if (generation === undefined) return response;
      try {
        if (options.maxEntriesPerTtl !== undefined && (await store.incr(COUNT, ttlMs)) > options.maxEntriesPerTtl) return response;
        await store.set(entryKey(key), `${response.etag}\n${body}`, ttlMs);
        await Promise.all(tags.map((tag) => store.sadd(tagKey(tag), [entryKey(key)], ttlMs)));
        // An invalidation that began after this check finds the entry in its tag set and drops it.
        if ((await store.get(GENERATION_KEY)) !== generation) await store.del(entryKey(key));
      } catch (error) {
        options.onError?.(error);
      }
      return response;
    },

    /**
     * Drops every response stored under `tag`. Unlike reads, this throws when the store fails:
     * the caller's write must know its change may stay invisible until the entries expire.
     */
    async invalidate(tag: string): Promise<void> {
      await store.set(GENERATION_KEY, randomUUID(), ttlMs);
      const keys = await store.smembers(tagKey(tag));
      await store.del(...keys, tagKey(tag));
    },
  };
}

/** A response cache bound to one store. */
export type ResponseCache = ReturnType<typeof createResponseCache>;
