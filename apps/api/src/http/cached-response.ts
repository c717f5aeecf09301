import type { Request, Response } from 'express';
import type { CachedResponse } from '@girlycrea/cache';

/** Browsers and Nginx may reuse catalog answers briefly; the ETag makes revalidation cheap. */
export const CATALOG_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

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
