import type { Request, Response } from 'express';
import type { CachedResponse } from '@girlycrea/cache';

/**
 * Any cache may keep a catalog answer but must ask again before reusing it: the answer changes the
 * moment the catalog does (a sale, a price), and the ETag makes asking cheap (304). Nginx's
 * micro-cache ignores this header and keeps its own few seconds; Next's fetch cache its own tags.
 */
export const CATALOG_CACHE_CONTROL = 'public, no-cache';

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => [etag, `W/${etag}`, '*'].includes(tag.trim()));
}

/** Sends a pre-serialized JSON body with its ETag, or 304 when the client already has it. */
export function sendCached(req: Request, res: Response, cached: CachedResponse, cacheControl = CATALOG_CACHE_CONTROL): void {
  res.setHeader('ETag', cached.etag);
  res.setHeader('Cache-Control', cacheControl);
  if (isNotModified(req.headers['if-none-match'], cached.etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json; charset=utf-8').send(cached.body);
}
