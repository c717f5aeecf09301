import type { Request, Response } from 'express';
import type { CachedResponse } from '@girlycrea/cache';

/** Browsers and Nginx may reuse catalog answers briefly; the ETag makes revalidation cheap. */
export const CATALOG_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

/** Sends a pre-serialized JSON body with its ETag, or 304 when the client already has it. */
export function sendCached(req: Request, res: Response, cached: CachedResponse, cacheControl = CATALOG_CACHE_CONTROL): void {
  res.setHeader('ETag', cached.etag);
  res.setHeader('Cache-Control', cacheControl);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => [cached.etag, `W/${cached.etag}`, '*'].includes(tag.trim()))) {
    res.status(304).end();
    return;
  }
  res.type('application/json; charset=utf-8').send(cached.body);
}
