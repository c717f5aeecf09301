import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CachedResponse } from '@girlycrea/cache';
import type { Metrics } from '@girlycrea/observability/metrics';
import { LRUCache } from 'lru-cache';
import { isNotModified } from '../../http/cached-response.js';
import { newRequestId } from '../../http/request-context.js';

/** A catalog answer ready to write as is: the body already encoded, every header precomputed. */
interface Entry {
  etag: string;
  /** Flat [name, value, …] lists for writeHead; the last value is the request id, set just before writing. */
  headers: string[];
  notModifiedHeaders: string[];
  body: Buffer;
  observe: { ok(seconds: number): void; notModified(seconds: number): void } | undefined;
}

/** Settings of the in-process catalog cache. */
export interface FastPathOptions {
  /** Response headers every API answer carries (helmet's), computed once at start-up. */
  staticHeaders: [string, string][];
  metrics?: Metrics;
  /** Memory the cache may take, bodies and per-entry overhead. Default 16 MiB. */
  maxBytes?: number;
  /** How long an entry may be served without news from Redis (a missed invalidation heals within it). Default 60 s. */
  ttlMs?: number;
}

const CATALOG_URL = /^\/api\/(?:categories|products)(?:[/?]|$)/;
// Measured RSS per entry beyond its body and URL (entry, header lists, closures, the body's own
// allocation): ~4 KB. Counting only the body let 16 MiB of bodies hold ~60 MB (every distinct search URL).
const ENTRY_OVERHEAD_BYTES = 4096;

/**
 * The catalog's hot path: answers already served once are kept per exact URL in this process and
 * written before Express runs — no routing, parsing, logging or Redis round trip. Entries are filled
 * by the normal route, dropped by any process's catalog invalidation (Redis pub/sub) and by a short TTL.
 */
export function createCatalogFastPath(options: FastPathOptions) {
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? 16 * 1024 * 1024,
    sizeCalculation: (entry, url) => entry.body.length + url.length + ENTRY_OVERHEAD_BYTES,
    ttl: options.ttlMs ?? 60_000,
  });
  const staticHeaders = options.staticHeaders.flat();
  const hits = options.metrics?.catalogCache.labels({ layer: 'memory', result: 'hit' });
  const misses = options.metrics?.catalogCache.labels({ layer: 'memory', result: 'miss' });

  return {
    /** Keeps a 200 answer the route just sent for `url` (the exact path and query string). */
    remember(url: string, route: string, cached: CachedResponse, cacheControl: string): void {
      // Its own memory, not a slice of Buffer's shared 8 KB pool that a small body would pin.
      const body = Buffer.allocUnsafeSlow(Buffer.byteLength(cached.body));
      body.write(cached.body);
      const common = ['ETag', cached.etag, 'Cache-Control', cacheControl, ...staticHeaders, 'X-Request-Id', ''];
      const histogram = options.metrics?.httpRequestDuration;
      // Label children resolved once per entry, not hashed on every request.
      const ok = histogram?.labels({ method: 'GET', route, status: '200' });
      const notModified = histogram?.labels({ method: 'GET', route, status: '304' });
      entries.set(url, {
        etag: cached.etag,
        body,
        headers: ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length), ...common],
        notModifiedHeaders: common,
        observe: ok && notModified ? { ok: (s) => ok.observe(s), notModified: (s) => notModified.observe(s) } : undefined,
      });
    },

    /** Answers the request from memory and returns true, or returns false to let Express handle it. */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url || !CATALOG_URL.test(req.url)) return false;
      const entry = entries.get(req.url);
      if (!entry) {
        misses?.inc();
        return false;
      }
      hits?.inc();
      const started = performance.now();
      const notModified = isNotModified(req.headers['if-none-match'], entry.etag);
      // writeHead copies the list synchronously, so the shared array can carry this request's id.
      const headers = notModified ? entry.notModifiedHeaders : entry.headers;
      headers[headers.length - 1] = newRequestId();
      if (notModified) res.writeHead(304, headers).end();
      else res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : entry.body);
      const seconds = (performance.now() - started) / 1000;
      if (notModified) entry.observe?.notModified(seconds);
      else entry.observe?.ok(seconds);
      return true;
    },

    /** Forgets everything (a catalog change anywhere). */
    clear(): void {
      entries.clear();
    },
  };
}

/** The in-process catalog cache of one app. */
export type CatalogFastPath = ReturnType<typeof createCatalogFastPath>;
