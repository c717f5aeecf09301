import { createHash } from 'node:crypto';
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

const INVALIDATIONS = 'rc-invalidations';
const COUNT = 'rc-count';

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
  const listeners: ((tag: string) => void)[] = [];

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

    /** Returns the cached response for `key`, or builds, stores and returns it. */
    async wrap(key: string, tags: string[], build: () => Promise<unknown>): Promise<CachedResponse> {
      const cached = await this.get(key);
      if (cached) return cached;
      const body = JSON.stringify(await build());
      const response = { etag: computeEtag(body), body };
      try {
        if (options.maxEntriesPerTtl !== undefined && (await store.incr(COUNT, ttlMs)) > options.maxEntriesPerTtl) return response;
        await store.set(entryKey(key), `${response.etag}\n${body}`, ttlMs);
        await Promise.all(tags.map((tag) => store.sadd(tagKey(tag), [entryKey(key)], ttlMs)));
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
      const keys = await store.smembers(tagKey(tag));
      await store.del(...keys, tagKey(tag));
      // Local listeners hear it at once (a write is visible to its own process on return); other
      // processes through the store's pub/sub.
      for (const listener of listeners) listener(tag);
      await store.publish(INVALIDATIONS, tag);
    },

    /** Calls `listener` with the tag whenever any process invalidates one (to drop in-process copies). */
    async onInvalidate(listener: (tag: string) => void): Promise<void> {
      listeners.push(listener);
      await store.subscribe(INVALIDATIONS, listener);
    },
  };
}

/** A response cache bound to one store. */
export type ResponseCache = ReturnType<typeof createResponseCache>;
