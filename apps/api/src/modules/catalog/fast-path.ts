import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CachedResponse } from '@girlycrea/cache';
import type { Metrics } from '@girlycrea/observability/metrics';
import { LRUCache } from 'lru-cache';
import { isNotModified } from '../../http/cached-response.js';

/** A catalog answer ready to write as is: the body already encoded, every header precomputed. */
interface Entry {
  etag: string;
  route: string;
  /** Flat [name, value, …] list for writeHead, without the per-request id. */
  headers: string[];
  notModifiedHeaders: string[];
  body: Buffer;
}

/** Settings of the in-process catalog cache. */
export interface FastPathOptions {
  /** Response headers every API answer carries (helmet's), computed once at start-up. */
  staticHeaders: [string, string][];
  metrics?: Metrics;
  /** Bytes of bodies kept in memory. Default 32 MiB. */
  maxBytes?: number;
  /** How long an entry may be served without news from Redis (a missed invalidation heals within it). Default 60 s. */
  ttlMs?: number;
}

const CATALOG_URL = /^\/api\/(?:categories|products)(?:[/?]|$)/;

/**
 * The catalog's hot path: answers already served once are kept per exact URL in this process and
 * written before Express runs — no routing, parsing, logging or Redis round trip. Entries are filled
 * by the normal route, dropped by any process's catalog invalidation (Redis pub/sub) and by a short TTL.
 */
export function createCatalogFastPath(options: FastPathOptions) {
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? 32 * 1024 * 1024,
    sizeCalculation: (entry, url) => entry.body.length + url.length + 256,
    ttl: options.ttlMs ?? 60_000,
  });
  const staticHeaders = options.staticHeaders.flat();

  return {
    /** Keeps a 200 answer the route just sent for `url` (the exact path and query string). */
    remember(url: string, route: string, cached: CachedResponse, cacheControl: string): void {
      const body = Buffer.from(cached.body);
      const common = ['ETag', cached.etag, 'Cache-Control', cacheControl, ...staticHeaders];
      entries.set(url, {
        etag: cached.etag,
        route,
        body,
        headers: ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length), ...common],
        notModifiedHeaders: common,
      });
    },

    /** Answers the request from memory and returns true, or returns false to let Express handle it. */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url || !CATALOG_URL.test(req.url)) return false;
      const entry = entries.get(req.url);
      if (!entry) return false;
      const started = options.metrics ? process.hrtime.bigint() : 0n;
      const requestId = randomUUID();
      const notModified = isNotModified(req.headers['if-none-match'], entry.etag);
      if (notModified) {
        res.writeHead(304, [...entry.notModifiedHeaders, 'X-Request-Id', requestId]).end();
      } else {
        res.writeHead(200, [...entry.headers, 'X-Request-Id', requestId]).end(req.method === 'HEAD' ? undefined : entry.body);
      }
      if (options.metrics) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        options.metrics.httpRequestDuration.observe({ method: req.method, route: entry.route, status: notModified ? '304' : '200' }, seconds);
      }
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
